#pragma once

#include <caf/meta/type_name.hpp>

#include <chrono>
#include <cstdint>
#include <string>

namespace sluice::actors {

/// What one recovery cost (rule R5).
struct recovery_stats {
  std::string failed_stage; ///< Where the failure was seen.
  uint32_t failed_instance = 0;
  std::string reason;               ///< The failure.
  uint64_t restored_checkpoint = 0; ///< 0: restarted from the beginning.
  /// Failure seen to the first record processed again.
  std::chrono::nanoseconds time_to_resume{0};
  /// Records the restarted sources read again: read before the failure,
  /// minus what the restored checkpoint covers.
  uint64_t records_replayed = 0;
  uint64_t bytes_read = 0; ///< Snapshot bytes restored.
  /// Instances stopped and started again: the failed regions (rule R3).
  uint32_t instances_restarted = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, recovery_stats& x) {
  return f(caf::meta::type_name("sluice::actors::recovery_stats"),
           x.failed_stage, x.failed_instance, x.reason, x.restored_checkpoint,
           x.time_to_resume, x.records_replayed, x.bytes_read,
           x.instances_restarted);
}

} // namespace sluice::actors
