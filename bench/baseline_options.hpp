#pragma once

#include "bench/checksum_sink.hpp"

#include <chrono>
#include <cstdint>
#include <vector>

namespace sluice::bench {

/// Shape of one baseline run: the stateless case without Sluice.
struct baseline_options {
  /// Independent source -> map -> sink chains, the baseline's parallelism.
  /// Lane j produces indices j, j + lanes, ... as source instance j of a
  /// Sluice job with that parallelism does.
  uint32_t lanes = 1;
  uint32_t batch_size = 1024;
  /// Batches in flight per hop: the credit window (CAF actors) or the ring
  /// capacity (SPSC threads). CAF streams size their own.
  uint32_t window = 16;
  /// The sources stop producing after this; the run ends when the sinks
  /// received everything.
  std::chrono::nanoseconds duration{std::chrono::seconds{1}};
};

/// One run of a baseline.
struct baseline_run {
  std::vector<uint64_t> produced;      ///< Records each lane's source made.
  sink_totals received;                ///< Over all lanes' sinks.
  std::chrono::nanoseconds elapsed{0}; ///< From the start to the last sink.
};

} // namespace sluice::bench
