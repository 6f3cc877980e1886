#include "sluice.hpp"
#include "tests/support/actor_system_fixture.hpp"
#include "tests/support/application_actors.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/stop_on_exit.hpp"
#include "tests/support/temp_dir.hpp"

#include <caf/all.hpp>

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <thread>

using namespace sluice;
using namespace std::chrono_literals;
using sluice::testing::actor_system_fixture;
using sluice::testing::consumer_log;
using sluice::testing::egress_consumer;
using sluice::testing::eventually;
using sluice::testing::failure_text;
using sluice::testing::pause_atom;
using sluice::testing::resume_atom;
using sluice::testing::stop_on_exit;
using sluice::testing::temp_dir;

namespace {

/// Waits (bounded) until `value()` stopped changing for `quiet`; returns
/// its value then.
template <class F>
uint64_t settled(F value, std::chrono::milliseconds quiet = 300ms) {
  auto deadline
    = std::chrono::steady_clock::now() + actor_system_fixture::job_timeout;
  auto last = value();
  auto since = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(10ms);
    auto now = value();
    if (now != last) {
      last = now;
      since = std::chrono::steady_clock::now();
    } else if (std::chrono::steady_clock::now() - since >= quiet) {
      break;
    }
  }
  return last;
}

/// Stalls and resumes the consumer of a generator → map → egress job: the
/// job waits without loss, holding no more than its budgets, and goes on.
void stall_and_resume(caf::actor_system& sys, job_builder& job, uint64_t n,
                      uint64_t budget, uint64_t bound, double rate = 0) {
  auto log = std::make_shared<consumer_log<uint64_t>>();
  auto consumer = sys.spawn(egress_consumer<uint64_t>, uint64_t{1000}, log);
  caf::anon_send(consumer, pause_atom::value); // no demand at all at first
  job.settings().max_buffered_records = budget;
  auto spec = generate(n, 1, [](uint64_t i, uint64_t) { return i; });
  if (rate > 0)
    spec.rate(rate);
  job.source("src", spec)
    .map("pass", [](uint64_t x) { return x; })
    .egress("out", consumer);
  auto handle = job.start(sys);
  BOOST_TEST_REQUIRE(static_cast<bool>(handle), failure_text(handle));
  stop_on_exit stops_handle{*handle};
  auto read = [&] {
    return handle->metrics().sum("src", &actors::instance_metrics::records_in);
  };
  // Stalled before anything reached the consumer: the source read only
  // what the stages hold (`bound`).
  auto stalled_at = settled(read);
  BOOST_TEST_MESSAGE("stalled at " << stalled_at << " records read");
  BOOST_TEST(stalled_at <= bound);
  BOOST_TEST(log->size() == 0u);
  BOOST_TEST(!handle->done());
  // Resumed, half of it flows; stalled again mid-way.
  caf::anon_send(consumer, resume_atom::value);
  BOOST_TEST_REQUIRE(eventually([&] { return log->size() >= n / 2; }));
  caf::anon_send(consumer, pause_atom::value);
  auto delivered = settled([&] { return uint64_t{log->size()}; });
  auto read_then = settled(read);
  BOOST_TEST(delivered < n);
  BOOST_TEST(read_then <= delivered + bound + 1000); // + demand in flight
  BOOST_TEST(!handle->done());
  // Resumed for good: everything arrives, once, in order, and the job ends.
  caf::anon_send(consumer, resume_atom::value);
  auto report = handle->wait();
  BOOST_TEST_REQUIRE(static_cast<bool>(report), failure_text(report));
  BOOST_TEST_REQUIRE(eventually([&] { return log->has_ended(); }));
  auto xs = log->snapshot();
  BOOST_TEST_REQUIRE(xs.size() == n);
  for (uint64_t i = 0; i < n; ++i)
    BOOST_TEST_REQUIRE(xs[i] == i);
  BOOST_TEST(log->conflicts == 0u);
  caf::anon_send_exit(consumer, caf::exit_reason::user_shutdown);
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(egress_tests, actor_system_fixture)

BOOST_AUTO_TEST_CASE(a_consumer_that_stops_granting_demand_stalls_the_job) {
  // Each of the egress instance, the map and the source holds at most its
  // budget, so the source reads at most four budgets ahead.
  job_builder job{"stalls"};
  stall_and_resume(sys, job, 200'000, 4096, 4 * 4096);
}

BOOST_AUTO_TEST_CASE(with_checkpoints_a_stalled_consumer_loses_nothing) {
  // Records wait for their checkpoint, then for demand. The egress
  // instance holds a budget of released records, plus the epochs not yet
  // committed, which grow with the time checkpoints take on a loaded
  // machine: the job stalls well before its end, at no fixed count.
  temp_dir dir;
  job_builder job{"stalls, checkpointed"};
  job.settings().checkpoints.store = dir.file("job.db");
  job.settings().checkpoints.interval = 20ms;
  stall_and_resume(sys, job, 100'000, 4096, 50'000, 50'000);
}

BOOST_AUTO_TEST_SUITE_END()
