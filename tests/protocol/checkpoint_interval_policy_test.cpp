#include "protocol/checkpoint_interval_policy.hpp"

#include <boost/test/unit_test.hpp>

#include <chrono>

using namespace sluice::protocol;
using namespace std::chrono_literals;

namespace {

using time_point = checkpoint_interval_policy::time_point;

const time_point t0{std::chrono::hours{1}};

interval_targets records_bound(uint64_t records) {
  interval_targets t;
  t.max_replay_records = records;
  t.min_interval = 100ms;
  t.max_interval = 60s;
  return t;
}

/// One checkpoint started at `at`, completed `cost` later, its sources
/// having read `records` in all.
bool checkpoint(checkpoint_interval_policy& p, time_point at,
                std::chrono::nanoseconds cost, uint64_t records) {
  p.on_started(at);
  return p.on_completed(at, at + cost, records);
}

/// Milliseconds of the interval in force.
int64_t interval_ms(const checkpoint_interval_policy& p) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
           p.current().interval)
    .count();
}

/// Milliseconds after `t0` the next checkpoint is due; -1: only on request.
int64_t due_ms(const checkpoint_interval_policy& p) {
  auto due = p.due();
  if (!due)
    return -1;
  return std::chrono::duration_cast<std::chrono::milliseconds>(*due - t0)
    .count();
}

} // namespace

BOOST_AUTO_TEST_SUITE(checkpoint_interval_policy_tests)

BOOST_AUTO_TEST_CASE(without_targets_the_fixed_interval_holds) {
  // CI1: the job's `interval`, whatever is measured.
  checkpoint_interval_policy p{{}, 10s, 1, t0};
  BOOST_TEST(p.current().reason == interval_reason::fixed);
  BOOST_TEST(due_ms(p) == 10000);
  BOOST_TEST(!checkpoint(p, t0 + 10s, 1s, 1'000'000));
  BOOST_TEST(interval_ms(p) == 10000);
  BOOST_TEST(due_ms(p) == 20000);
  BOOST_TEST(p.record_allowance() == 0u);
  // CI1: interval 0: only on request.
  checkpoint_interval_policy on_request{{}, 0s, 1, t0};
  BOOST_TEST(due_ms(on_request) == -1);
}

BOOST_AUTO_TEST_CASE(a_skipped_checkpoint_is_due_one_interval_later) {
  checkpoint_interval_policy p{{}, 10s, 1, t0};
  p.on_skipped(t0 + 10s);
  BOOST_TEST(due_ms(p) == 20000);
}

BOOST_AUTO_TEST_CASE(without_a_rate_the_shortest_interval_measures_one) {
  // CI2: the first checkpoints come after min-interval; the first
  // completion is only a base, the second gives a rate.
  checkpoint_interval_policy p{records_bound(1000), 0s, 1, t0};
  BOOST_TEST(p.current().reason == interval_reason::no_rate_yet);
  BOOST_TEST(interval_ms(p) == 100);
  BOOST_TEST(!checkpoint(p, t0 + 100ms, 0s, 100));
  BOOST_TEST(p.rate() == 0.0);
  BOOST_TEST(checkpoint(p, t0 + 1100ms, 0s, 1100));
  BOOST_TEST(p.rate() == 1000.0);
}

BOOST_AUTO_TEST_CASE(the_records_bound_follows_the_rate) {
  // CI3: 3/4 of the bound at the measured rate, less the checkpoint's cost.
  checkpoint_interval_policy p{records_bound(100'000), 0s, 1, t0};
  checkpoint(p, t0, 0s, 0);
  checkpoint(p, t0 + 1s, 0s, 10'000); // 10'000 records/s
  BOOST_TEST(p.current().reason == interval_reason::replay_records);
  BOOST_TEST(interval_ms(p) == 7500);
  // CI2, CI3: ten times the rate counts at once.
  BOOST_TEST(checkpoint(p, t0 + 2s, 0s, 110'000));
  BOOST_TEST(p.rate() == 100'000.0);
  BOOST_TEST(interval_ms(p) == 750);
  // CI2: a lower rate counts halfway.
  checkpoint(p, t0 + 3s, 0s, 120'000);
  BOOST_TEST(p.rate() == 55'000.0);
  // CI3: the cost counts against the interval: records are read while the
  // checkpoint is in flight, too.
  checkpoint_interval_policy q{records_bound(100'000), 0s, 1, t0};
  checkpoint(q, t0, 500ms, 0);
  checkpoint(q, t0 + 1s, 500ms, 10'000);
  BOOST_TEST(interval_ms(q) == 7000);
}

BOOST_AUTO_TEST_CASE(the_time_bound_leaves_room_for_the_checkpoint) {
  // CI4: records read in max-replay-time at most: the interval plus the
  // checkpoint's cost.
  interval_targets t;
  t.max_replay_time = 5s;
  checkpoint_interval_policy p{t, 0s, 1, t0};
  BOOST_TEST(interval_ms(p) == 5000);
  BOOST_TEST(checkpoint(p, t0, 2s, 0));
  BOOST_TEST(p.current().reason == interval_reason::replay_time);
  BOOST_TEST(interval_ms(p) == 3000);
}

BOOST_AUTO_TEST_CASE(overhead_sets_the_interval_unless_a_bound_needs_less) {
  // CI5: as often as max-overhead allows: 200 ms cost at 10% -> 2 s.
  interval_targets t;
  t.max_overhead = 0.1;
  checkpoint_interval_policy p{t, 0s, 1, t0};
  BOOST_TEST(p.current().reason == interval_reason::no_rate_yet);
  BOOST_TEST(checkpoint(p, t0, 200ms, 0));
  BOOST_TEST(p.current().reason == interval_reason::overhead);
  BOOST_TEST(interval_ms(p) == 2000);
  // CI5: the replay bound wins over the overhead.
  t.max_replay_time = 1s;
  checkpoint_interval_policy q{t, 0s, 1, t0};
  checkpoint(q, t0, 200ms, 0);
  BOOST_TEST(q.current().reason == interval_reason::replay_time);
  BOOST_TEST(interval_ms(q) == 800);
}

BOOST_AUTO_TEST_CASE(the_interval_stays_within_min_and_max) {
  // CI6: a bound needing less than min-interval gets min-interval (and the
  // sources hold, CI8); nothing asking for more often gives max-interval.
  checkpoint_interval_policy p{records_bound(1000), 0s, 1, t0};
  checkpoint(p, t0, 0s, 0);
  checkpoint(p, t0 + 1s, 0s, 1'000'000);
  BOOST_TEST(p.current().reason == interval_reason::min_interval);
  BOOST_TEST(interval_ms(p) == 100);
  checkpoint_interval_policy q{records_bound(1'000'000), 0s, 1, t0};
  checkpoint(q, t0, 0s, 0);
  checkpoint(q, t0 + 1s, 0s, 1);
  BOOST_TEST(q.current().reason == interval_reason::max_interval);
  BOOST_TEST(interval_ms(q) == 60000);
}

BOOST_AUTO_TEST_CASE(a_held_source_makes_a_checkpoint_due_at_once) {
  // CI7: due now until one starts; an abort makes it due again while the
  // sources hold; a completion releases them.
  checkpoint_interval_policy p{records_bound(1000), 0s, 1, t0};
  // CI9: counted, not reported as a change.
  BOOST_TEST(!p.on_source_held());
  BOOST_TEST(p.current().reason == interval_reason::lag);
  BOOST_TEST(due_ms(p) == 0);
  p.on_started(t0 + 10ms);
  BOOST_TEST(due_ms(p) == 110);
  p.on_aborted();
  BOOST_TEST(due_ms(p) == 10);
  p.on_started(t0 + 20ms);
  BOOST_TEST(!p.on_completed(t0 + 20ms, t0 + 30ms, 500));
  BOOST_TEST(p.current().reason != interval_reason::lag);
  p.on_aborted();
  BOOST_TEST(due_ms(p) == 120);
}

BOOST_AUTO_TEST_CASE(the_sources_share_the_records_bound) {
  // CI8: each source instance holds at its share, at least one record.
  BOOST_TEST((checkpoint_interval_policy{records_bound(1000), 0s, 4, t0})
               .record_allowance()
             == 250u);
  BOOST_TEST(
    (checkpoint_interval_policy{records_bound(3), 0s, 4, t0}).record_allowance()
    == 1u);
}

BOOST_AUTO_TEST_CASE(a_failure_forgets_the_base_of_the_rate) {
  // CI2: after a failover the counts restart lower; no sample from them.
  checkpoint_interval_policy p{records_bound(100'000), 0s, 1, t0};
  checkpoint(p, t0, 0s, 0);
  checkpoint(p, t0 + 1s, 0s, 10'000);
  p.on_failure();
  checkpoint(p, t0 + 2s, 0s, 5'000);
  BOOST_TEST(p.rate() == 10'000.0);
  checkpoint(p, t0 + 3s, 0s, 25'000);
  BOOST_TEST(p.rate() == 20'000.0);
}

BOOST_AUTO_TEST_CASE(only_meaningful_changes_are_reported) {
  // CI9: a new reason, or more than a quarter longer or shorter.
  checkpoint_interval_policy p{records_bound(100'000), 0s, 1, t0};
  checkpoint(p, t0, 0s, 0);
  BOOST_TEST(checkpoint(p, t0 + 1s, 0s, 10'000));  // no_rate_yet -> records
  BOOST_TEST(!checkpoint(p, t0 + 2s, 0s, 21'000)); // 7.5 s -> 6.8 s
  BOOST_TEST(checkpoint(p, t0 + 3s, 0s, 41'000));  // -> 3.75 s
}

BOOST_AUTO_TEST_SUITE_END()
