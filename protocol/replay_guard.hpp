#pragma once

#include "protocol/checkpoint_id.hpp"

#include <cstdint>
#include <limits>
#include <map>

namespace sluice::protocol {

/// Keeps a source within its share of `max-replay-records` (rule CI8): it
/// reads at most `allowance` records beyond what its last committed
/// checkpoint covers, and holds there until a newer one commits. Records
/// are counted as the source counts them, restored with its offset. Runs
/// inside the source actor; not thread-safe.
class replay_guard {
public:
  static constexpr uint64_t unlimited = std::numeric_limits<uint64_t>::max();

  /// `allowance`: 0 for no limit. `records`: read so far (what the
  /// restored checkpoint covers, or 0), the first base.
  replay_guard(uint64_t allowance, uint64_t records)
      : allowance_(allowance), base_(records) {}

  /// The source took its snapshot of `id` having read `records`.
  void on_snapshot(checkpoint_id id, uint64_t records);

  /// Checkpoint `id` committed: what the source read up to its snapshot
  /// will not be read again.
  void on_committed(checkpoint_id id);

  /// Records the source may read now, having read `records`.
  [[nodiscard]] uint64_t may_read(uint64_t records) const noexcept;

  /// The source holds at its allowance. True once per hold, to tell the
  /// coordinator (CI7).
  [[nodiscard]] bool on_held();

  uint64_t base() const noexcept { return base_; }

private:
  uint64_t allowance_;
  uint64_t base_;
  bool reported_ = false;
  /// Snapshots taken and not yet committed: id -> records read.
  std::map<checkpoint_id, uint64_t> taken_;
};

} // namespace sluice::protocol
