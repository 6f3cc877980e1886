#pragma once

#include "protocol/checkpoint_id.hpp"
#include "protocol/source_lifecycle.hpp"

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>

namespace sluice::protocol {

/// Where a transform or sink instance is in its life (rules O1-O4).
enum class operator_phase : uint8_t {
  running,  ///< Consumes its inputs.
  finished, ///< Its logic's `finish` ran: it emits nothing more of its own.
  ended,    ///< Closed its logic and ended its outputs: the actor quits.
};

std::string to_string(operator_phase x);

inline std::ostream& operator<<(std::ostream& os, operator_phase x) {
  return os << to_string(x);
}

/// Whether an instance makes output visible through commits.
enum class operator_role : uint8_t {
  transform, ///< Has outputs; ends once they drained.
  sink,      ///< Commits epochs; ends once its last snapshot committed.
};

/// The life of one transform or sink instance (rules O1-O4): when its
/// logic finishes and when the instance may end. No actors, clocks or I/O.
/// Not thread-safe.
///
///   running --final barrier aligned, or every input ended--> finished
///   finished --inputs ended, outputs drained, [sink: committed]--> ended
class operator_lifecycle {
public:
  /// `restored`: the checkpoint it was restored from, committed again when
  /// it opened (C5). `job_done`: that checkpoint is the job's completed
  /// final one (O4).
  operator_lifecycle(operator_role role, start_mode mode,
                     std::optional<checkpoint_id> restored);

  operator_phase phase() const noexcept { return phase_; }

  /// O1: the final checkpoint's barrier aligned. True: run the logic's
  /// `finish` now, before the snapshot, so that what it emits at the end
  /// is part of the final epoch (C7).
  [[nodiscard]] bool on_final_aligned();

  /// O2: every input ended. True: run `finish` now (a job without
  /// checkpoints has no final barrier).
  [[nodiscard]] bool on_inputs_ended();

  /// The instance snapshotted checkpoint `id`.
  void on_snapshot(checkpoint_id id);

  /// Checkpoint `id` committed.
  void on_committed(checkpoint_id id);

  /// O3: whether the instance ends now: finished, every input ended, its
  /// outputs drained, its logic holds nothing it still has to hand over,
  /// and a sink's last snapshot committed (nothing visible otherwise). True
  /// once: the instance closes its logic and ends its outputs.
  [[nodiscard]] bool may_end(bool inputs_ended, bool outputs_drained,
                             bool logic_drained);

  /// Waiting only for the commit of its last snapshot.
  bool awaits_commit() const noexcept;

private:
  operator_role role_;
  operator_phase phase_ = operator_phase::running;
  std::optional<checkpoint_id> last_snapshot_;
  std::optional<checkpoint_id> last_committed_;
};

} // namespace sluice::protocol
