#pragma once

#include "bench/checksum_sink.hpp"

#include <caf/actor_system.hpp>
#include <caf/expected.hpp>

#include <chrono>
#include <cstdint>

namespace sluice::bench {

/// Shape of one baseline run.
struct baseline_options {
  uint64_t records = 0;
  uint32_t batch_size = 1024;
  /// Batches a consumer accepts before it returns credit: the per-hop
  /// credit window. Credit comes back in chunks of half the window.
  uint32_t window = 16;
};

/// One run of the baseline.
struct baseline_run {
  sink_totals received;
  std::chrono::nanoseconds elapsed{0}; ///< From spawning to the sink's end.
};

/// The stateless pipeline without Sluice: three plain CAF actors, source ->
/// map -> sink, passing `std::vector<uint64_t>` batches with a fixed credit
/// window per hop (caf-0.17-guide.md sections 2 and 7). The source draws
/// the same records as `sluice::generate` and the map and sink do the same
/// work as in the Sluice job, so the difference is what the engine costs.
/// Blocks the calling thread (not an actor's) until the sink ended.
[[nodiscard]] caf::expected<baseline_run>
run_caf_actor_baseline(caf::actor_system& sys, const baseline_options& opts);

} // namespace sluice::bench
