#include "protocol/failover_machine.hpp"

namespace sluice::protocol {

std::string to_string(failover_phase x) {
  switch (x) {
  case failover_phase::running:
    return "running";
  case failover_phase::pausing:
    return "pausing";
  case failover_phase::stopping:
    return "stopping";
  case failover_phase::backing_off:
    return "backing_off";
  case failover_phase::restoring:
    return "restoring";
  case failover_phase::failed:
    return "failed";
  }
  return "?";
}

std::string to_string(failover_action x) {
  switch (x) {
  case failover_action::none:
    return "none";
  case failover_action::pause_checkpoints:
    return "pause_checkpoints";
  case failover_action::stop_regions:
    return "stop_regions";
  case failover_action::back_off:
    return "back_off";
  case failover_action::load:
    return "load";
  case failover_action::respawn:
    return "respawn";
  case failover_action::respawn_fresh:
    return "respawn_fresh";
  case failover_action::fail:
    return "fail";
  }
  return "?";
}

std::string to_string(failover_failure x) {
  switch (x) {
  case failover_failure::none:
    return "none";
  case failover_failure::not_restartable:
    return "not_restartable";
  case failover_failure::too_many_restarts:
    return "too_many_restarts";
  case failover_failure::no_restore_point:
    return "no_restore_point";
  }
  return "?";
}

std::ostream& operator<<(std::ostream& os, const failover_step& x) {
  os << x.action;
  if (x.action == failover_action::back_off)
    os << " " << x.delay.count() << " ns";
  if (x.action == failover_action::back_off
      || x.action == failover_action::load)
    os << " generation " << x.generation;
  if (x.action == failover_action::fail)
    os << " " << x.failure;
  return os;
}

failover_machine::failover_machine(size_t regions, bool coordinated,
                                   restart_limits limits, uint64_t seed)
    : regions_(regions), coordinated_(coordinated), policy_(limits, seed) {}

failover_step failover_machine::fail(failover_failure why) {
  phase_ = failover_phase::failed;
  return {failover_action::fail, {}, generation_, why};
}

failover_step failover_machine::stop() {
  phase_ = failover_phase::stopping;
  return {failover_action::stop_regions, {}, generation_, {}};
}

failover_step failover_machine::on_failure(uint32_t region, failure_kind kind,
                                           time_point now) {
  if (phase_ == failover_phase::failed)
    return {};
  // F1, R4: an instance that cannot start would fail the same way again.
  if (kind == failure_kind::cannot_restart)
    return fail(failover_failure::not_restartable);
  if (!policy_.allows(now))
    return fail(failover_failure::too_many_restarts);
  switch (phase_) {
  case failover_phase::running:
    failing_ = {region};
    final_ = final_at_failover::none;
    ++generation_;
    if (!coordinated_)
      return stop();
    phase_ = failover_phase::pausing;
    return {failover_action::pause_checkpoints, {}, generation_, {}};
  case failover_phase::pausing:
    // F1: the stop waits for the coordinator; it will cover this region.
    failing_.insert(region);
    return {};
  default:
    // F1: another region failed during the failover: it goes back too,
    // and what was under way for the others starts over.
    if (!failing_.insert(region).second)
      return {};
    ++generation_;
    return stop();
  }
}

failover_step failover_machine::on_paused(final_at_failover final) {
  if (phase_ != failover_phase::pausing)
    return {};
  final_ = final;
  // F2, J4: the final checkpoint spans every region, and sources of the
  // others may have ended their streams behind its barrier.
  if (final == final_at_failover::in_flight)
    for (uint32_t r = 0; r < regions_; ++r)
      failing_.insert(r);
  return stop();
}

failover_step failover_machine::on_regions_down(time_point now) {
  if (phase_ != failover_phase::stopping)
    return {};
  // F3, R2: every instance is down; the delay grows with recent restarts.
  phase_ = failover_phase::backing_off;
  return {failover_action::back_off, policy_.restart_at(now), generation_, {}};
}

failover_step failover_machine::on_backoff_over(uint64_t generation) {
  if (phase_ != failover_phase::backing_off || generation != generation_)
    return {};
  phase_ = failover_phase::restoring;
  return {failover_action::load, {}, generation_, {}};
}

failover_step failover_machine::on_loaded(uint64_t generation, bool skipped) {
  if (phase_ != failover_phase::restoring || generation != generation_)
    return {};
  if (skipped && failing_.size() < regions_) {
    // F5, S4: the newest checkpoint cannot be restored; the regions still
    // running are ahead of the one restored, so they go back too.
    for (uint32_t r = 0; r < regions_; ++r)
      failing_.insert(r);
    ++generation_;
    return stop();
  }
  phase_ = failover_phase::running;
  return {failover_action::respawn, {}, generation_, {}};
}

failover_step failover_machine::on_load_failed(uint64_t generation,
                                               bool nothing_completed) {
  if (phase_ != failover_phase::restoring || generation != generation_)
    return {};
  // F6, R3: without any completed checkpoint the regions start over; once
  // one completed, sinks published output that a start over would repeat.
  if (!nothing_completed)
    return fail(failover_failure::no_restore_point);
  phase_ = failover_phase::running;
  return {failover_action::respawn_fresh, {}, generation_, {}};
}

} // namespace sluice::protocol
