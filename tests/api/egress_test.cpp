#include "sluice.hpp"
#include "tests/support/actor_system_fixture.hpp"
#include "tests/support/application_actors.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/saturation.hpp"
#include "tests/support/stop_on_exit.hpp"
#include "tests/support/temp_dir.hpp"

#include <caf/all.hpp>

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <optional>

using namespace sluice;
using namespace std::chrono_literals;
using sluice::testing::actor_system_fixture;
using sluice::testing::consumer_log;
using sluice::testing::egress_consumer;
using sluice::testing::eventually;
using sluice::testing::failure_text;
using sluice::testing::pause_atom;
using sluice::testing::resume_atom;
using sluice::testing::saturated;
using sluice::testing::stop_on_exit;
using sluice::testing::stopped_taking;
using sluice::testing::temp_dir;

namespace {

/// Whether the job of `stall_and_resume` can read no more while its
/// consumer is paused with nothing owed: checked from the consumer's end
/// up, since an instance that stopped taking with no credit out leaves the
/// one before it without credit for good, and that one stops in turn.
bool stalled(const job_handle& handle) {
  return stopped_taking(handle, "out") && stopped_taking(handle, "pass")
         && saturated(handle, "src");
}

/// Sends `resume_atom` to a consumer when it leaves its scope. Declare it
/// after the job's `stop_on_exit`, so that it runs first.
class resume_on_exit {
public:
  explicit resume_on_exit(caf::actor consumer)
      : consumer_(std::move(consumer)) {}
  resume_on_exit(const resume_on_exit&) = delete;
  resume_on_exit& operator=(const resume_on_exit&) = delete;
  ~resume_on_exit() { caf::anon_send(consumer_, resume_atom::value); }

private:
  caf::actor consumer_;
};

/// How `stall_and_resume` runs its job.
struct stall_plan {
  /// Records the source reads; `unbounded`: until the test stops the job.
  uint64_t records = unbounded;
  uint64_t budget = 4096;
  /// Records the consumer takes between the two stalls.
  uint64_t between = 50'000;
  /// At most this many records read and not delivered at a stall, where
  /// the stages' budgets fix it.
  std::optional<uint64_t> bound;
  /// Records per second (0: as fast as credit allows).
  double rate = 0;
};

/// Stalls and resumes the consumer of a generator → map → egress job: the
/// job waits without loss, holding no more than its budgets, and goes on.
void stall_and_resume(caf::actor_system& sys, job_builder& job,
                      const stall_plan& plan) {
  auto log = std::make_shared<consumer_log<uint64_t>>();
  auto consumer = sys.spawn(egress_consumer<uint64_t>, uint64_t{1000}, log);
  caf::anon_send(consumer, pause_atom::value); // no demand at all at first
  job.settings().max_buffered_records = plan.budget;
  auto spec = generate(plan.records, 1, [](uint64_t i, uint64_t) { return i; });
  if (plan.rate > 0)
    spec.rate(plan.rate);
  job.source("src", spec)
    .map("pass", [](uint64_t x) { return x; })
    .egress("out", consumer);
  auto handle = job.start(sys);
  BOOST_TEST_REQUIRE(static_cast<bool>(handle), failure_text(handle));
  stop_on_exit stops_handle{*handle};
  // A failed check leaves no job waiting for demand.
  resume_on_exit resumes{consumer};
  auto read = [&] {
    return handle->metrics().sum("src", &actors::instance_metrics::records_in);
  };
  // What the egress instance took in, delivered or not. Once stalled, the
  // map and the source hold at most the map's budget and a batch or two
  // each (D4), however many records wait at the egress instance for a
  // commit or for demand.
  auto taken_by_egress = [&] {
    return handle->metrics().sum("out", &actors::instance_metrics::records_in);
  };
  auto batch = uint64_t{job.settings().batch_size};
  auto upstream = plan.budget + 4 * batch;
  // Stalled before anything reached the consumer.
  BOOST_TEST_REQUIRE(eventually([&] { return stalled(*handle); }));
  auto stalled_at = read();
  BOOST_TEST_MESSAGE("stalled at " << stalled_at << " records read");
  BOOST_TEST(stalled_at <= taken_by_egress() + upstream);
  if (plan.bound)
    BOOST_TEST(stalled_at <= *plan.bound);
  BOOST_TEST(log->size() == 0u);
  BOOST_TEST(!handle->done());
  // Resumed, records flow; stalled again mid-way. What the consumer asked
  // for before the pause still comes, then nothing more.
  caf::anon_send(consumer, resume_atom::value);
  BOOST_TEST_REQUIRE(eventually([&] { return log->size() >= plan.between; }));
  caf::anon_send(consumer, pause_atom::value);
  BOOST_TEST_REQUIRE(
    eventually([&] { return log->paused_with_nothing_owed(); }));
  auto delivered = uint64_t{log->size()};
  BOOST_TEST_REQUIRE(eventually([&] { return stalled(*handle); }));
  auto read_then = read();
  BOOST_TEST_MESSAGE("stalled again at " << read_then << " records read, "
                                         << delivered << " delivered");
  BOOST_TEST(delivered < plan.records);
  BOOST_TEST(read_then <= taken_by_egress() + upstream);
  if (plan.bound)
    BOOST_TEST(read_then <= delivered + *plan.bound);
  BOOST_TEST(log->size() == delivered);
  BOOST_TEST(!handle->done());
  // Resumed for good: everything read arrives, once, in order, and the job
  // ends (at the end of its input, or stopped).
  caf::anon_send(consumer, resume_atom::value);
  if (plan.records == unbounded)
    handle->stop();
  auto report = handle->wait();
  BOOST_TEST_REQUIRE(static_cast<bool>(report), failure_text(report));
  BOOST_TEST_REQUIRE(eventually([&] { return log->has_ended(); }));
  auto xs = log->snapshot();
  BOOST_TEST_REQUIRE(xs.size() == report->records_out("src"));
  if (plan.records != unbounded)
    BOOST_TEST_REQUIRE(xs.size() == plan.records);
  for (uint64_t i = 0; i < xs.size(); ++i)
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
  stall_plan plan;
  plan.records = 200'000;
  plan.between = plan.records / 2;
  plan.bound = 4 * plan.budget;
  stall_and_resume(sys, job, plan);
}

BOOST_AUTO_TEST_CASE(with_checkpoints_a_stalled_consumer_loses_nothing) {
  // Records wait for their checkpoint, then for demand. The egress
  // instance holds a budget of released records, plus the epochs not yet
  // committed, which grow with the time checkpoints take: no count bounds
  // what it holds, only what the stages before it hold. The source reads
  // until the test stops the job, so that a stall comes, however long the
  // checkpoints take; its rate keeps what waits for a commit small.
  temp_dir dir;
  job_builder job{"stalls, checkpointed"};
  job.settings().checkpoints.store = dir.file("job.db");
  job.settings().checkpoints.interval = 20ms;
  stall_plan plan;
  plan.rate = 50'000;
  stall_and_resume(sys, job, plan);
}

BOOST_AUTO_TEST_SUITE_END()
