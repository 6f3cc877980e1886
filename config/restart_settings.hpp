#pragma once

#include "protocol/restart_policy.hpp"

namespace sluice::config {

/// How a job recovers from a failed instance: restart the affected region
/// from the latest completed checkpoint, backing off exponentially with
/// jitter; give up after too many restarts in a window
/// (`protocol::restart_limits`: `max_restarts` within `window`, delays from
/// `initial_backoff` doubling up to `max_backoff`, varied by `jitter`).
struct restart_settings : protocol::restart_limits {
  /// Without a checkpoint store a restarted region starts over from the
  /// beginning, and its sinks write again what they wrote before: such jobs
  /// fail instead of restarting unless this is set.
  bool without_checkpoints = false;
};

} // namespace sluice::config
