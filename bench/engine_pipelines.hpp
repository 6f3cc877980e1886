#pragma once

#include "bench/checksum_sink.hpp"

#include <caf/actor_system.hpp>
#include <caf/expected.hpp>

#include <chrono>
#include <cstdint>

namespace sluice::bench {

/// One run of a Sluice job.
struct engine_run {
  sink_totals received;                ///< Over all sink instances.
  std::chrono::nanoseconds elapsed{0}; ///< From the job report.
};

/// Records each instance may hold waiting for a job of `batch_size`: at
/// least 16 batches, so that every channel's share is two batches or more
/// (each instance of the benchmarks has at most two inputs).
constexpr uint64_t budget_for(uint32_t batch_size) noexcept {
  return uint64_t{16} * batch_size > 16384 ? uint64_t{16} * batch_size : 16384;
}

/// generate -> map -> sink, every stage with one instance: `records` records,
/// mapped by `stateless_map` and summed by a `checksum_sink`. Fails if the
/// job fails or the generator did not produce `records` records.
[[nodiscard]] caf::expected<engine_run>
run_stateless_job(caf::actor_system& sys, uint64_t records,
                  uint32_t batch_size);

/// generate -> key_by -> count -> sink, every stage with two instances:
/// `records` records whose keys are their random numbers modulo `keys`.
/// The sink receives the count stage's changelog. Fails if the job fails,
/// the count stage did not receive `records` records or the sink did not
/// receive every record the count stage shipped.
[[nodiscard]] caf::expected<engine_run> run_keyed_job(caf::actor_system& sys,
                                                      uint64_t records,
                                                      uint32_t batch_size,
                                                      uint64_t keys);

} // namespace sluice::bench
