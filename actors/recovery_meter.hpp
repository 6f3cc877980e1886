#pragma once

#include "actors/recovery_stats.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace sluice::actors {

/// Measures the recovery under way (rule R5): from the failure that
/// started it to the first record processed again. A failure during a
/// failover merges into it. Time comes in with each call. Used by the job
/// runner; not thread-safe.
class recovery_meter {
public:
  using time_point = std::chrono::steady_clock::time_point;

  /// A failover starts: the failure seen at `now`.
  void begin(time_point now, std::string stage, uint32_t instance,
             std::string reason);

  /// The failed regions start again: what they restore and replay.
  /// `read_before`: records their sources had read when they stopped;
  /// `restored_records`: what the restored checkpoint covers of that.
  void restarting(uint64_t restored_checkpoint, uint64_t bytes_read,
                  uint32_t instances, uint64_t read_before,
                  uint64_t restored_records);

  /// A restarted instance processed its first record at `now`: the
  /// recovery is over, once. None when no recovery awaits this.
  [[nodiscard]] std::optional<recovery_stats> resumed(time_point now);

private:
  recovery_stats stats_;
  time_point failure_seen_{};
  bool awaiting_resume_ = false;
};

} // namespace sluice::actors
