#pragma once

#include "config/fault_settings.hpp"

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace sluice::actors {

/// Decides when an injected fault fails one instance (config::fault_settings).
/// Decisions come from a generator seeded by the job's seed, the stage, the
/// instance and the attempt, so a drill with the same seed makes the same
/// decisions for the same sequence of batches. The job's fault budget is
/// shared by all instances and attempts. Used by one actor; not
/// thread-safe apart from the shared budget.
class fault_injector {
public:
  /// No faults.
  fault_injector() = default;

  fault_injector(const config::fault_settings& settings,
                 std::shared_ptr<std::atomic<uint32_t>> budget,
                 const std::string& stage, uint32_t instance, uint32_t attempt);

  /// After processing a batch of `records`: the fault to raise, if any.
  [[nodiscard]] std::optional<std::string> after_batch(uint64_t records);

  /// At a moment of a checkpoint: the fault to raise, if any.
  [[nodiscard]] std::optional<std::string> at(config::checkpoint_phase phase);

private:
  /// Takes one fault from the job's budget; false when it is spent.
  bool take();

  double next_unit();

  const config::fault_settings* settings_ = nullptr;
  std::shared_ptr<std::atomic<uint32_t>> budget_;
  uint64_t state_ = 0; ///< Random generator state.
  uint64_t records_ = 0;
};

} // namespace sluice::actors
