#include "protocol/failover_machine.hpp"

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <set>

using namespace sluice::protocol;
using namespace std::chrono_literals;

namespace {

using A = failover_action;
using P = failover_phase;

restart_limits no_jitter(uint32_t max_restarts = 3) {
  restart_limits x;
  x.max_restarts = max_restarts;
  x.window = 60s;
  x.initial_backoff = 100ms;
  x.max_backoff = 1s;
  x.jitter = 0;
  return x;
}

const failover_machine::time_point t0{};

} // namespace

BOOST_AUTO_TEST_SUITE(failover_machine_tests)

BOOST_AUTO_TEST_CASE(a_failure_pauses_stops_backs_off_restores_and_respawns) {
  failover_machine f{3, true, no_jitter(), 1};
  // F1: the coordinator pauses before anything stops.
  auto s = f.on_failure(1, failure_kind::restartable, t0);
  BOOST_TEST(s.action == A::pause_checkpoints);
  BOOST_TEST(f.phase() == P::pausing);
  BOOST_TEST(f.failing() == (std::set<uint32_t>{1}));
  // F2: no final checkpoint in flight: only the failed region goes back.
  BOOST_TEST(f.on_paused(final_at_failover::none).action == A::stop_regions);
  BOOST_TEST(f.failing() == (std::set<uint32_t>{1}));
  // F3, R2: once it is down, the first restart waits the initial backoff.
  s = f.on_regions_down(t0);
  BOOST_TEST(s == (failover_step{A::back_off, 100ms, f.generation(), {}}));
  // F4: a timer of another generation is stale.
  BOOST_TEST(f.on_backoff_over(f.generation() + 1).action == A::none);
  s = f.on_backoff_over(f.generation());
  BOOST_TEST(s.action == A::load);
  BOOST_TEST(f.phase() == P::restoring);
  // F5: the restore point loaded: respawn.
  BOOST_TEST(f.on_loaded(f.generation(), false).action == A::respawn);
  BOOST_TEST(f.phase() == P::running);
}

BOOST_AUTO_TEST_CASE(a_failure_during_the_final_takes_every_region_back) {
  failover_machine f{3, true, no_jitter(), 1};
  static_cast<void>(f.on_failure(0, failure_kind::restartable, t0));
  // F2, J4: the final spans every region.
  BOOST_TEST(f.on_paused(final_at_failover::in_flight).action
             == A::stop_regions);
  BOOST_TEST(f.failing() == (std::set<uint32_t>{0, 1, 2}));
  BOOST_TEST(f.final_state() == final_at_failover::in_flight);
}

BOOST_AUTO_TEST_CASE(a_failure_after_the_final_completed_keeps_its_regions) {
  failover_machine f{3, true, no_jitter(), 1};
  static_cast<void>(f.on_failure(2, failure_kind::restartable, t0));
  BOOST_TEST(f.on_paused(final_at_failover::completed).action
             == A::stop_regions);
  BOOST_TEST(f.failing() == (std::set<uint32_t>{2}));
  BOOST_TEST(f.final_state() == final_at_failover::completed);
}

BOOST_AUTO_TEST_CASE(another_region_failing_during_backoff_starts_over) {
  failover_machine f{3, true, no_jitter(), 1};
  static_cast<void>(f.on_failure(0, failure_kind::restartable, t0));
  // F1: while pausing, a second region joins the stop to come.
  BOOST_TEST(f.on_failure(1, failure_kind::restartable, t0).action == A::none);
  static_cast<void>(f.on_paused(final_at_failover::none));
  BOOST_TEST(f.failing() == (std::set<uint32_t>{0, 1}));
  auto s = f.on_regions_down(t0);
  auto old = s.generation;
  // F1: during the backoff a third fails: a new generation stops it.
  s = f.on_failure(2, failure_kind::restartable, t0 + 10ms);
  BOOST_TEST(s.action == A::stop_regions);
  BOOST_TEST(s.generation > old);
  BOOST_TEST(f.failing() == (std::set<uint32_t>{0, 1, 2}));
  // The first timer is stale; the second backoff doubles (R2).
  BOOST_TEST(f.on_backoff_over(old).action == A::none);
  s = f.on_regions_down(t0 + 20ms);
  BOOST_TEST(s == (failover_step{A::back_off, 200ms, f.generation(), {}}));
  // A failure in a region already going back changes nothing.
  BOOST_TEST(f.on_failure(2, failure_kind::restartable, t0).action == A::none);
}

BOOST_AUTO_TEST_CASE(a_restore_that_skipped_a_checkpoint_takes_all_back) {
  failover_machine f{2, true, no_jitter(), 1};
  static_cast<void>(f.on_failure(0, failure_kind::restartable, t0));
  static_cast<void>(f.on_paused(final_at_failover::none));
  static_cast<void>(f.on_regions_down(t0));
  auto g = f.generation();
  static_cast<void>(f.on_backoff_over(g));
  // F5, S4: region 1 is ahead of the checkpoint restored.
  auto s = f.on_loaded(g, true);
  BOOST_TEST(s.action == A::stop_regions);
  BOOST_TEST(f.failing() == (std::set<uint32_t>{0, 1}));
  BOOST_TEST(f.generation() > g);
  static_cast<void>(f.on_regions_down(t0));
  static_cast<void>(f.on_backoff_over(f.generation()));
  // With every region going back, a skip needs no further stop.
  BOOST_TEST(f.on_loaded(f.generation(), true).action == A::respawn);
}

BOOST_AUTO_TEST_CASE(too_many_restarts_within_the_window_fail_the_job) {
  failover_machine f{1, false, no_jitter(2), 1};
  for (int i = 0; i < 2; ++i) {
    auto now = t0 + i * 1s;
    // Without a coordinator the regions stop at once.
    BOOST_TEST(f.on_failure(0, failure_kind::restartable, now).action
               == A::stop_regions);
    static_cast<void>(f.on_regions_down(now));
    static_cast<void>(f.on_backoff_over(f.generation()));
    BOOST_TEST(f.on_load_failed(f.generation(), true).action
               == A::respawn_fresh);
  }
  // R4: a third within the minute is one too many ...
  auto s = f.on_failure(0, failure_kind::restartable, t0 + 2s);
  BOOST_TEST(s.action == A::fail);
  BOOST_TEST(s.failure == failover_failure::too_many_restarts);
  BOOST_TEST(f.phase() == P::failed);
  // ... and a failed job stays failed.
  BOOST_TEST(f.on_failure(0, failure_kind::restartable, t0).action == A::none);
}

BOOST_AUTO_TEST_CASE(restarts_older_than_the_window_are_forgotten) {
  failover_machine f{1, false, no_jitter(1), 1};
  static_cast<void>(f.on_failure(0, failure_kind::restartable, t0));
  static_cast<void>(f.on_regions_down(t0));
  static_cast<void>(f.on_backoff_over(f.generation()));
  static_cast<void>(f.on_load_failed(f.generation(), true));
  // R4: a minute later the restart is out of the window.
  BOOST_TEST(f.on_failure(0, failure_kind::restartable, t0 + 61s).action
             == A::stop_regions);
  // R2: and the backoff starts over from the initial delay.
  BOOST_TEST(f.on_regions_down(t0 + 61s).delay.count() == 100'000'000);
}

BOOST_AUTO_TEST_CASE(an_instance_that_cannot_start_fails_the_job) {
  failover_machine f{2, true, no_jitter(), 1};
  auto s = f.on_failure(0, failure_kind::cannot_restart, t0);
  BOOST_TEST(s.action == A::fail);
  BOOST_TEST(s.failure == failover_failure::not_restartable);
}

BOOST_AUTO_TEST_CASE(no_restore_point_after_committed_output_fails_the_job) {
  failover_machine f{1, true, no_jitter(), 1};
  static_cast<void>(f.on_failure(0, failure_kind::restartable, t0));
  static_cast<void>(f.on_paused(final_at_failover::none));
  static_cast<void>(f.on_regions_down(t0));
  static_cast<void>(f.on_backoff_over(f.generation()));
  // F6, R3: starting over would publish committed output again.
  auto s = f.on_load_failed(f.generation(), false);
  BOOST_TEST(s.action == A::fail);
  BOOST_TEST(s.failure == failover_failure::no_restore_point);
}

BOOST_AUTO_TEST_CASE(jitter_varies_the_delay_within_its_share) {
  auto limits = no_jitter(100);
  limits.jitter = 0.25;
  restart_policy p{limits, 42};
  restart_policy same{limits, 42};
  for (int i = 0; i < 5; ++i) {
    auto now = t0 + i * 1ms;
    BOOST_TEST_REQUIRE(p.allows(now));
    auto d = p.restart_at(now);
    // R2: the same seed gives the same delays ...
    BOOST_TEST(d.count() == same.restart_at(now).count());
    // ... within a quarter of the doubled delay, capped at max_backoff.
    auto nominal = std::min<int64_t>(100'000'000LL << i, 1'000'000'000);
    BOOST_TEST(d.count() >= nominal * 3 / 4);
    BOOST_TEST(d.count() <= nominal * 5 / 4);
  }
}

BOOST_AUTO_TEST_SUITE_END()
