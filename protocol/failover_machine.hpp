#pragma once

#include "protocol/checkpoint_id.hpp"
#include "protocol/end_of_job.hpp"
#include "protocol/restart_policy.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <ostream>
#include <set>
#include <string>

namespace sluice::protocol {

/// Where a job's failover is (rules R1-R4, F1-F7).
enum class failover_phase : uint8_t {
  running,     ///< Every region runs.
  pausing,     ///< Waiting for the coordinator to stop checkpointing.
  stopping,    ///< The failed regions' instances are being stopped.
  backing_off, ///< Waiting before the restart.
  restoring,   ///< Loading the checkpoint to restart from.
  failed,      ///< The job failed for good.
};

std::string to_string(failover_phase x);

inline std::ostream& operator<<(std::ostream& os, failover_phase x) {
  return os << to_string(x);
}

/// What the job runner does after an event.
enum class failover_action : uint8_t {
  none,              ///< Nothing.
  pause_checkpoints, ///< Ask the coordinator to pause (`failover_atom`).
  stop_regions,      ///< Stop the failing regions' live instances.
  back_off,          ///< Arm the restart timer: `delay`, `generation`.
  load,              ///< Load the restore point (`generation`).
  respawn,           ///< Start the failing regions from the restore point.
  respawn_fresh,     ///< Start them from the beginning: nothing completed.
  fail,              ///< The job fails: `failure`.
};

std::string to_string(failover_action x);

inline std::ostream& operator<<(std::ostream& os, failover_action x) {
  return os << to_string(x);
}

/// Why a failure cannot be recovered.
enum class failover_failure : uint8_t {
  none,
  not_restartable,   ///< R4: it cannot start, or restarts are off.
  too_many_restarts, ///< R4: the limit within the window is reached.
  no_restore_point,  ///< R3: nothing to restore, but output was committed.
};

std::string to_string(failover_failure x);

inline std::ostream& operator<<(std::ostream& os, failover_failure x) {
  return os << to_string(x);
}

/// How a failure can be recovered, as the runner sees it.
enum class failure_kind : uint8_t {
  restartable,    ///< An instance failed while running.
  cannot_restart, ///< It could not start, or the job may not restart.
};

/// An answer: the action and what it needs.
struct failover_step {
  failover_action action = failover_action::none;
  std::chrono::nanoseconds delay{0};                 ///< `back_off`.
  uint64_t generation = 0;                           ///< `back_off`, `load`.
  failover_failure failure = failover_failure::none; ///< `fail`.

  friend bool operator==(const failover_step& x, const failover_step& y) {
    return x.action == y.action && x.delay == y.delay
           && x.generation == y.generation && x.failure == y.failure;
  }
};

std::ostream& operator<<(std::ostream& os, const failover_step& x);

/// A job's failover (rules F1-F7): which regions fail, when they stop,
/// back off, restore and start again, and when the job fails instead. The
/// runner turns messages into events and answers into sends; time and
/// randomness come in from outside (`restart_policy`). A generation count
/// makes timers and answers of an earlier attempt stale. Not thread-safe.
///
///   running --failure--> pausing --paused--> stopping --regions down-->
///   backing_off --timer--> restoring --loaded--> running (respawn)
///                              |
///                              +--skipped a damaged checkpoint--> stopping
///                                 (every region)
class failover_machine {
public:
  using time_point = restart_policy::time_point;

  /// `regions`: how many the job has. `coordinated`: a coordinator must
  /// pause checkpoints before instances stop.
  failover_machine(size_t regions, bool coordinated, restart_limits limits,
                   uint64_t seed);

  failover_phase phase() const noexcept { return phase_; }

  /// The regions going back, while not running.
  const std::set<uint32_t>& failing() const noexcept { return failing_; }

  uint64_t generation() const noexcept { return generation_; }

  /// What the coordinator said of the final checkpoint when it paused.
  final_at_failover final_state() const noexcept { return final_; }

  /// F1: an instance of `region` failed at `now`.
  [[nodiscard]] failover_step on_failure(uint32_t region, failure_kind kind,
                                         time_point now);

  /// F2: the coordinator paused checkpoints and said where the final
  /// checkpoint was.
  [[nodiscard]] failover_step on_paused(final_at_failover final);

  /// F3: no instance of a failing region is alive any more.
  [[nodiscard]] failover_step on_regions_down(time_point now);

  /// F4: the restart timer of `generation` fired.
  [[nodiscard]] failover_step on_backoff_over(uint64_t generation);

  /// F5: the restore point of `generation` was loaded; `skipped`: newer
  /// checkpoints could not be restored.
  [[nodiscard]] failover_step on_loaded(uint64_t generation, bool skipped);

  /// F5: loading failed; `nothing_completed`: the store holds no
  /// completed checkpoint and the job never committed output.
  [[nodiscard]] failover_step on_load_failed(uint64_t generation,
                                             bool nothing_completed);

  /// F7: the job fails for another reason (the coordinator or the store
  /// failed, or the job did not stop in time).
  void on_job_failed() { phase_ = failover_phase::failed; }

private:
  failover_step fail(failover_failure why);
  failover_step stop();

  size_t regions_;
  bool coordinated_;
  restart_policy policy_;
  failover_phase phase_ = failover_phase::running;
  std::set<uint32_t> failing_;
  uint64_t generation_ = 0;
  final_at_failover final_ = final_at_failover::none;
};

} // namespace sluice::protocol
