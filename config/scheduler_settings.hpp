#pragma once

#include <cstdint>

namespace sluice::config {

/// CAF's scheduler in a process that runs jobs (the `sluice` command). An
/// application embedding Sluice configures its own actor system instead.
struct scheduler_settings {
  /// Worker threads; 0: one per core (CAF's own default is at least 4,
  /// more threads than a small machine has cores).
  uint32_t threads = 0;
  /// Messages an actor handles before it yields its thread. Finite, unlike
  /// CAF's default: an actor that keeps sending to itself would otherwise
  /// starve timer-driven actors such as the checkpoint coordinator.
  uint32_t max_throughput = 64;
};

} // namespace sluice::config
