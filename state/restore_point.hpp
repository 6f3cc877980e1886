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

/// Loads `wanted` (or the newest completed checkpoint) and verifies every
/// payload of every chain. A checkpoint with a damaged or missing snapshot
/// is never restored: the next older completed one is tried, and the
/// reason recorded in `skipped` (rule S4). Without `wanted`, no completed
/// checkpoint at all is `errc::no_checkpoint`.
[[nodiscard]] caf::expected<restore_point>
load_restore_point(checkpoint_store& store,
                   std::optional<protocol::checkpoint_id> wanted
                   = std::nullopt);

} // namespace sluice::state
