#pragma once

#include "protocol/checkpoint_id.hpp"

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace sluice::protocol {

/// What the operator must do after a barrier arrived or an input closed.
enum class align_result : uint8_t {
  wait,          ///< More barriers to come; exactly-once blocks the input.
  snapshot,      ///< Every open input delivered the barrier (rule A1).
  abort_pending, ///< A newer barrier subsumed the pending checkpoint (A2);
                 ///< then as `wait` or `snapshot` for the new one.
  ignore_stale,  ///< Barrier of an older checkpoint (A3).
};

std::string to_string(align_result x);

inline std::ostream& operator<<(std::ostream& os, align_result x) {
  return os << to_string(x);
}

/// Tracks which inputs delivered the barrier of the pending checkpoint
/// (rules A1-A4). Runs inside the operator actor; not thread-safe.
class barrier_aligner {
public:
  barrier_aligner() = default;

  barrier_aligner(size_t num_inputs, checkpoint_mode mode);

  /// Barrier `id` arrived on `input`.
  [[nodiscard]] align_result on_barrier(checkpoint_id id, uint32_t input);

  /// `input` ended: it counts as having delivered every barrier (A4).
  [[nodiscard]] align_result on_input_closed(uint32_t input);

  /// After `abort_pending`: whether the new barrier completed alignment.
  [[nodiscard]] bool ready() const noexcept;

  /// The operator took the snapshot: all inputs open again.
  void snapshot_taken();

  /// True while exactly-once alignment holds back `input` (A1).
  bool blocked(uint32_t input) const { return blocked_.at(input); }

  std::optional<checkpoint_id> pending() const noexcept { return pending_; }

  checkpoint_mode mode() const noexcept { return mode_; }

private:
  void start(checkpoint_id id);

  std::vector<bool> delivered_;
  std::vector<bool> closed_;
  std::vector<bool> blocked_;
  std::optional<checkpoint_id> pending_;
  std::optional<checkpoint_id> last_; ///< Last snapshot taken.
  size_t waiting_for_ = 0;            ///< Open inputs without the barrier.
  checkpoint_mode mode_ = checkpoint_mode::exactly_once;
};

} // namespace sluice::protocol
