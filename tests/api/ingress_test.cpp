#include "sluice.hpp"
#include "tests/support/actor_system_fixture.hpp"
#include "tests/support/application_actors.hpp"
#include "tests/support/stop_on_exit.hpp"

#include <caf/all.hpp>

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <thread>

using namespace sluice;
using namespace std::chrono_literals;
using sluice::testing::actor_system_fixture;
using sluice::testing::failure_text;
using sluice::testing::feeder;
using sluice::testing::producer_log;
using sluice::testing::stop_on_exit;
using sluice::testing::tagged_record;

namespace {

uint64_t emitted(const job_handle& h, const std::string& stage) {
  return h.metrics().sum(stage, &actors::instance_metrics::records_in);
}

/// The next message of type `T` for `self`, within a bound.
template <class T>
std::optional<T> next_of(caf::scoped_actor& self) {
  std::optional<T> result;
  self->receive([&](const T& x) { result = x; },
                caf::after(actor_system_fixture::job_timeout) >> [] {});
  return result;
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(ingress_tests, actor_system_fixture)

BOOST_AUTO_TEST_CASE(a_producer_faster_than_the_job_is_held_back_by_credit) {
  // The producer has all its records at once and sends whatever credit
  // allows; the job behind it is slow. What the producer has sent beyond
  // what the job took in never exceeds the ingress instance's budget, and
  // the queue plus the credit out there stays within it too.
  constexpr uint64_t n = 200'000;
  constexpr uint64_t budget = 4096;
  job_builder job{"flood"};
  job.settings().max_buffered_records = budget;
  auto out = job.ingress<tagged_record>("in")
               .map("slow",
                    [](const tagged_record& x) {
                      if (x.second % 512 == 0)
                        std::this_thread::sleep_for(1ms);
                      return x;
                    })
               .collect("out");
  auto handle = job.start(sys);
  BOOST_TEST_REQUIRE(static_cast<bool>(handle), failure_text(handle));
  stop_on_exit stops_handle{*handle};
  auto log = std::make_shared<producer_log>();
  auto producer = sys.spawn(feeder, handle->ingress("in"), 1, n, 0, log);
  uint64_t worst_ahead = 0;
  uint64_t worst_held = 0;
  auto deadline = std::chrono::steady_clock::now() + job_timeout;
  while (emitted(*handle, "in") < n) {
    BOOST_TEST_REQUIRE((std::chrono::steady_clock::now() < deadline));
    // Sent first, taken in second: the difference can only come out lower
    // than the truth, never higher.
    auto sent = log->sent.load();
    auto in = emitted(*handle, "in");
    worst_ahead = std::max(worst_ahead, sent > in ? sent - in : 0);
    // Queued and granted are two figures the instance publishes one after
    // the other: a sample counts only when both read the same twice, not
    // one from before an update and one from after it.
    auto& m = handle->metrics();
    auto waiting = m.sum("in", &actors::instance_metrics::waiting);
    auto granted = m.sum("in", &actors::instance_metrics::credit_granted);
    if (waiting == m.sum("in", &actors::instance_metrics::waiting)
        && granted == m.sum("in", &actors::instance_metrics::credit_granted))
      worst_held = std::max(worst_held, waiting + granted);
    std::this_thread::sleep_for(200us);
  }
  handle->stop();
  auto report = handle->wait();
  BOOST_TEST_REQUIRE(static_cast<bool>(report), failure_text(report));
  caf::anon_send_exit(producer, caf::exit_reason::user_shutdown);
  BOOST_TEST_MESSAGE("ahead at most " << worst_ahead << ", held at most "
                                      << worst_held << ", starved "
                                      << log->starved << " times");
  BOOST_TEST(worst_ahead <= budget);
  BOOST_TEST(worst_held <= budget);
  BOOST_TEST(worst_ahead > 0u);
  BOOST_TEST(log->starved > 0u); // it really was held back
  BOOST_TEST(log->rejections == 0u);
  // Everything, once, in the producer's order.
  auto xs = out->records();
  BOOST_TEST_REQUIRE(xs.size() == n);
  for (uint64_t i = 0; i < n; ++i)
    BOOST_TEST_REQUIRE((xs[i] == tagged_record{1, i}));
}

BOOST_AUTO_TEST_CASE(records_sent_without_credit_are_refused_with_a_reason) {
  job_builder job{"refusals"};
  auto out = job.ingress<tagged_record>("in").collect("out");
  auto handle = job.start(sys);
  BOOST_TEST_REQUIRE(static_cast<bool>(handle), failure_text(handle));
  stop_on_exit stops_handle{*handle};
  auto gateway = handle->ingress("in");
  BOOST_TEST_REQUIRE(static_cast<bool>(gateway));
  BOOST_TEST(!handle->ingress("out")); // not an ingress stage
  caf::scoped_actor self{sys};
  auto records = [](uint64_t first, uint64_t count) {
    std::vector<tagged_record> xs;
    for (auto i = first; i < first + count; ++i)
      xs.emplace_back(7, i);
    return xs;
  };
  // Records from a producer that never opened.
  self->send(gateway, ingress_header{7, 0}, records(0, 2));
  auto unknown = next_of<ingress_rejected>(self);
  BOOST_TEST_REQUIRE(unknown.has_value());
  BOOST_TEST(unknown->reason
             == "stage 'in' instance 0/1: producer 7 is not open at this "
                "instance: send ingress_open");
  // More records than the credit.
  self->send(gateway, ingress_open{7, caf::actor{self}});
  auto credit = next_of<ingress_credit>(self);
  BOOST_TEST_REQUIRE(credit.has_value());
  BOOST_TEST(credit->credit > 0u);
  BOOST_TEST(credit->credit <= job.settings().max_buffered_records);
  self->send(credit->instance, ingress_header{7, 0},
             records(0, credit->credit + 1));
  auto too_many = next_of<ingress_rejected>(self);
  BOOST_TEST_REQUIRE(too_many.has_value());
  BOOST_TEST(too_many->reason
             == "stage 'in' instance 0/1: producer 7 sent "
                  + std::to_string(credit->credit + 1)
                  + " records with credit for "
                  + std::to_string(credit->credit));
  BOOST_TEST(too_many->next_seq == 0u); // nothing of it was kept
  // Within credit, then a gap.
  self->send(gateway, ingress_open{7, caf::actor{self}});
  credit = next_of<ingress_credit>(self);
  BOOST_TEST_REQUIRE(credit.has_value());
  self->send(credit->instance, ingress_header{7, 0}, records(0, 5));
  self->send(credit->instance, ingress_header{7, 10}, records(10, 5));
  auto gap = next_of<ingress_rejected>(self);
  BOOST_TEST_REQUIRE(gap.has_value());
  BOOST_TEST(gap->reason
             == "stage 'in' instance 0/1: producer 7 skipped records 5 to 9");
  BOOST_TEST(gap->next_seq == 5u);
  handle->stop();
  auto report = handle->wait();
  BOOST_TEST_REQUIRE(static_cast<bool>(report), failure_text(report));
  // Only the five accepted records went through.
  BOOST_TEST((out->records() == records(0, 5)));
}

BOOST_AUTO_TEST_SUITE_END()
