#pragma once

#include <chrono>
#include <cstdint>

namespace sluice::config {

/// How a job recovers from a failed instance: restart the affected region
/// from the latest completed checkpoint, backing off exponentially with
/// jitter; give up after too many restarts in a window.
struct restart_settings {
  /// Restarts allowed within `window`; one more fails the job. 0: a
  /// failure fails the job at once.
  uint32_t max_restarts = 10;
  std::chrono::nanoseconds window{std::chrono::minutes{1}};
  /// Delay before the first restart; doubles with each restart in a row,
  /// up to `max_backoff`.
  std::chrono::nanoseconds initial_backoff{std::chrono::milliseconds{50}};
  std::chrono::nanoseconds max_backoff{std::chrono::seconds{5}};
  /// Without a checkpoint store a restarted region starts over from the
  /// beginning, and its sinks write again what they wrote before: such jobs
  /// fail instead of restarting unless this is set.
  bool without_checkpoints = false;
  /// Each delay varies by up to this share either way, so that restarts of
  /// many jobs do not fall in step.
  double jitter = 0.25;
};

} // namespace sluice::config
