#pragma once

#include "state/checkpoint_store.hpp"
#include "state/snapshot.hpp"

#include <caf/expected.hpp>

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sluice::state {

/// What a job resumes from: one completed checkpoint, every instance's
/// decoded snapshot chain (full base first), and why newer checkpoints
/// were passed over.
struct restore_point {
  checkpoint_info checkpoint;
  /// (stage, instance) -> chain of snapshots, oldest first.
  std::map<std::pair<std::string, uint32_t>, std::vector<instance_snapshot>>
    instances;
  /// One line per checkpoint that was skipped, newest first: which
  /// snapshot failed and how.
  std::vector<std::string> skipped;
  /// Payload bytes read to restore.
  uint64_t bytes = 0;

  /// The chain of an instance; empty when it stored nothing (a stage added
  /// since, say).
  const std::vector<instance_snapshot>& chain(const std::string& stage,
                                              uint32_t instance) const;
};

/// Loads `wanted` (or the newest completed checkpoint) of job `job` and
/// verifies every payload of every chain: its checksum, and that it says it
/// belongs to that job, stage, instance and checkpoint (rule S5). A
/// checkpoint with a damaged, misplaced or missing snapshot is never
/// restored: the next older completed one is tried, and the reason recorded
/// in `skipped` (rule S4). Without `wanted`, no completed checkpoint at all
/// is `errc::no_checkpoint`.
[[nodiscard]] caf::expected<restore_point>
load_restore_point(checkpoint_store& store, const std::string& job,
                   std::optional<protocol::checkpoint_id> wanted
                   = std::nullopt);

/// Whether checkpoint `c` of job `job` would restore: every payload of
/// every chain decoded and checked as `load_restore_point` does. None if
/// it would, the first failure otherwise.
[[nodiscard]] caf::error verify_checkpoint(checkpoint_store& store,
                                           const std::string& job,
                                           const checkpoint_info& c);

} // namespace sluice::state
