#include "observability/metrics_sampler.hpp"

#include "tests/observability/durations.hpp"

#include <boost/test/unit_test.hpp>

#include <chrono>

using namespace sluice;
using namespace sluice::observability;
using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;
using sluice::testing::ms;

namespace {

/// A job's live figures written by hand, and a sampler over them whose
/// clock the test moves.
struct sampler_fixture {
  actors::job_metrics metrics;
  actors::instance_metrics& src = metrics.add("src", 0, 1024);
  actors::instance_metrics& map = metrics.add("map", 0, 1024);
  metrics_sampler sampler{metrics, graph_of(metrics, "job"), 2s};
  clock_type::time_point t0 = clock_type::now();

  job_sample at(std::chrono::nanoseconds since_t0, bool done = false) {
    return sampler.sample(t0 + since_t0, done);
  }

  static actors::checkpoint_stats completed(uint64_t id, uint64_t bytes,
                                            std::chrono::nanoseconds d) {
    actors::checkpoint_stats c;
    c.id = protocol::checkpoint_id{id};
    c.completed = true;
    c.kind = id % 2 == 1 ? protocol::snapshot_kind::full
                         : protocol::snapshot_kind::delta;
    c.bytes = bytes;
    c.duration = d;
    return c;
  }
};

uint64_t ns(std::chrono::nanoseconds x) {
  return static_cast<uint64_t>(x.count());
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(metrics_sampler_tests, sampler_fixture)

BOOST_AUTO_TEST_CASE(rates_are_growth_per_second_between_samples) {
  at(0s);
  src.records_out = 3000;
  map.records_in = 3000;
  auto s = at(1s);
  BOOST_TEST_REQUIRE(s.instances.size() == 2u);
  BOOST_TEST(ms(s.window) == 1000.0);
  BOOST_TEST(s.instances[0].rate_out == 3000.0);
  BOOST_TEST(s.instances[1].rate_in == 3000.0);
  BOOST_TEST(s.instances[1].records_in == 3000u);
  BOOST_TEST(s.sequence == 2u);
}

BOOST_AUTO_TEST_CASE(rates_cover_the_window_not_just_the_last_interval) {
  at(0s);
  map.records_in = 1000;
  at(1s);
  map.records_in = 1000; // nothing new in the second second
  auto s = at(2s);
  BOOST_TEST(ms(s.window) == 2000.0);
  BOOST_TEST(s.instances[1].rate_in == 500.0);
  // Later samples drop readings older than the window.
  map.records_in = 4000;
  s = at(3s);
  BOOST_TEST(ms(s.window) == 2000.0); // from the reading at 1 s
  BOOST_TEST(s.instances[1].rate_in == 1500.0);
}

BOOST_AUTO_TEST_CASE(backpressured_share_is_time_saturated_over_the_window) {
  at(0s);
  src.backpressured_ns = ns(1500ms);
  auto s = at(2s);
  BOOST_TEST(s.instances[0].backpressured_share == 0.75);
  BOOST_TEST(s.instances[1].backpressured_share == 0.0);
  BOOST_TEST(ms(s.instances[0].backpressured) == 1500.0);
}

BOOST_AUTO_TEST_CASE(a_spell_longer_than_the_window_counts_as_all_of_it) {
  // The engine credits a saturated spell when it ends: a spell that began
  // before the window still ends within it.
  at(0s);
  src.backpressured_ns = ns(5s);
  auto s = at(2s);
  BOOST_TEST(s.instances[0].backpressured_share == 1.0);
}

BOOST_AUTO_TEST_CASE(an_instance_without_credit_counts_as_backpressured) {
  // Saturated again whenever the engine looks, its spell never ends and
  // its backpressured time never grows: no credit at the samples tells.
  map.records_out = 100;
  map.credit_held = 0;
  at(0s);
  at(1s);
  map.credit_held = 64; // credit arrived before the last sample
  auto s = at(2s);
  BOOST_TEST(s.instances[1].backpressured_share == 0.5);
  // A sink (nothing shipped) and a finished instance are never held back.
  BOOST_TEST(s.instances[0].backpressured_share == 0.0);
  map.credit_held = 0;
  map.finished = true;
  s = at(3s);
  BOOST_TEST(s.instances[1].backpressured_share == 0.0);
}

BOOST_AUTO_TEST_CASE(an_ended_jobs_report_has_the_final_counts) {
  src.records_out = 900; // the last shipment did not reach the live figures
  actors::job_report report;
  actors::instance_report r;
  r.stage = "src";
  r.instance = 0;
  r.records_in = 1000;
  r.records_out = 1000;
  report.instances.push_back(r);
  auto s = at(1s, true);
  BOOST_TEST(s.instances[0].records_out == 900u);
  s = sampler.sample(t0 + 2s, true, &report);
  BOOST_TEST(s.instances[0].records_out == 1000u);
  BOOST_TEST(s.instances[0].records_in == 1000u);
  BOOST_TEST(s.instances[1].records_in == 0u); // not in the report: as seen
}

BOOST_AUTO_TEST_CASE(checkpoints_are_counted_once_each) {
  at(0s);
  metrics.add_checkpoint(completed(1, 4096, 30ms));
  actors::checkpoint_stats aborted;
  aborted.id = protocol::checkpoint_id{2};
  aborted.reason = "timed out";
  metrics.add_checkpoint(aborted);
  auto s = at(1s);
  BOOST_TEST(s.checkpoint_total.completed == 1u);
  BOOST_TEST(s.checkpoint_total.aborted == 1u);
  BOOST_TEST(s.checkpoint_total.full == 1u);
  metrics.add_checkpoint(completed(3, 1000, 200ms));
  s = at(2s);
  s = at(3s); // nothing new: totals stay
  BOOST_TEST(s.checkpoint_total.completed == 2u);
  BOOST_TEST(s.checkpoint_total.full == 2u);
  BOOST_TEST(s.checkpoint_total.bytes == 5096u);
  BOOST_TEST(ms(s.checkpoint_total.duration) == 230.0);
  // Bounds 0.01 0.05 0.1 0.25 ...: 30 ms in the second, 200 ms in the fourth.
  std::vector<uint64_t> buckets{0, 1, 1, 2, 2, 2, 2, 2, 2, 2};
  BOOST_TEST(s.checkpoint_total.duration_buckets == buckets,
             boost::test_tools::per_element());
  BOOST_TEST_REQUIRE(s.checkpoints.size() == 3u);
  BOOST_TEST(s.checkpoints[1].stats.reason == "timed out");
}

BOOST_AUTO_TEST_CASE(only_the_latest_checkpoints_are_listed) {
  metrics_sampler few{metrics, graph_of(metrics, "job"), 2s, 2};
  for (uint64_t id = 1; id <= 5; ++id)
    metrics.add_checkpoint(completed(id, id, 1ms));
  auto s = few.sample(t0, false);
  BOOST_TEST_REQUIRE(s.checkpoints.size() == 2u);
  BOOST_TEST(s.checkpoints[0].stats.id == protocol::checkpoint_id{4});
  BOOST_TEST(s.checkpoint_total.completed == 5u);
}

BOOST_AUTO_TEST_CASE(the_longest_alignment_goes_to_the_newest_checkpoint) {
  at(0s);
  src.snapshots = 1;
  src.last_alignment_ns = ns(1ms);
  map.snapshots = 1;
  map.last_alignment_ns = ns(4ms);
  metrics.add_checkpoint(completed(1, 10, 5ms));
  auto s = at(1s);
  BOOST_TEST_REQUIRE(s.checkpoints.size() == 1u);
  BOOST_TEST(ms(s.checkpoints[0].alignment.value_or(0ns)) == 4.0);
  // Two completed between samples: the older one's alignment is unknown.
  src.snapshots = 3;
  map.snapshots = 3;
  map.last_alignment_ns = ns(2ms);
  metrics.add_checkpoint(completed(2, 10, 5ms));
  metrics.add_checkpoint(completed(3, 10, 5ms));
  s = at(2s);
  BOOST_TEST_REQUIRE(s.checkpoints.size() == 3u);
  BOOST_TEST(!s.checkpoints[1].alignment.has_value());
  BOOST_TEST(ms(s.checkpoints[2].alignment.value_or(0ns)) == 2.0);
}

BOOST_AUTO_TEST_CASE(snapshots_before_their_checkpoint_completed_still_count) {
  // Instances snapshot before the coordinator completes the checkpoint, so
  // a sample may fall between the two.
  at(0s);
  map.snapshots = 1;
  map.last_alignment_ns = ns(3ms);
  auto s = at(1s);
  BOOST_TEST(s.checkpoints.empty());
  metrics.add_checkpoint(completed(1, 10, 5ms));
  s = at(2s);
  BOOST_TEST_REQUIRE(s.checkpoints.size() == 1u);
  BOOST_TEST(ms(s.checkpoints[0].alignment.value_or(0ns)) == 3.0);
}

BOOST_AUTO_TEST_CASE(recoveries_latency_and_graph_come_along) {
  actors::recovery_stats r;
  r.failed_stage = "map";
  r.records_replayed = 42;
  metrics.add_recovery(r);
  metrics.latency().record(3ms);
  metrics.latency().record(5ms);
  auto s = at(1s, true);
  BOOST_TEST(s.done);
  BOOST_TEST(s.job == "job");
  BOOST_TEST_REQUIRE(s.recoveries.size() == 1u);
  BOOST_TEST(s.recoveries[0].records_replayed == 42u);
  BOOST_TEST(s.latency.count == 2u);
  BOOST_TEST(ms(s.latency.p50) >= 3.0);
  BOOST_TEST_REQUIRE(s.graph.stages.size() == 2u);
  BOOST_TEST(s.graph.stages[1].name == "map");
  BOOST_TEST(s.graph.stages[1].parallelism == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
