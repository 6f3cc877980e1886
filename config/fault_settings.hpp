#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

namespace sluice::config {

/// The moments of a checkpoint at which a fault can be injected.
enum class checkpoint_phase : uint8_t {
  before_snapshot, ///< Alignment done, state not yet copied.
  after_snapshot,  ///< State copied and handed to the store.
  before_commit,   ///< Checkpoint completed, the sink not yet committed.
  after_commit,    ///< The sink committed.
};

std::string to_string(checkpoint_phase x);

std::optional<checkpoint_phase> parse_checkpoint_phase(std::string_view text);

inline std::ostream& operator<<(std::ostream& os, checkpoint_phase x) {
  return os << to_string(x);
}

/// Faults to inject into a running job, for tests and recovery drills. An
/// injected fault fails an instance exactly as a crash of user code would.
/// Off unless `count` > 0 and a trigger is set.
struct fault_settings {
  /// The stage to fail; empty: any stage, sources included (a `phase`
  /// fails transforms and sinks only: sources take no part in a
  /// checkpoint's later phases).
  std::string stage;
  /// Fail an instance once it processed this many records (0: unused).
  uint64_t after_records = 0;
  /// Fail with this probability per batch (0: unused).
  double probability = 0;
  /// Fail at this moment of a checkpoint.
  std::optional<checkpoint_phase> phase;
  /// Faults to inject over the whole job, restarts included.
  uint32_t count = 0;
  /// Seeds every decision: the same seed gives each instance the same
  /// decisions for the same sequence of batches, so a drill replays.
  uint64_t seed = 0;

  bool enabled() const noexcept {
    return count > 0 && (after_records > 0 || probability > 0 || phase);
  }
};

} // namespace sluice::config
