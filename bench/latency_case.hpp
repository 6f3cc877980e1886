#pragma once

#include "bench/bench_plan.hpp"

#include <caf/actor_system.hpp>
#include <caf/error.hpp>

#include <cstdint>

namespace sluice::bench {

/// Latency from source timestamp to sink, measured in user code: the
/// stateless pipeline (generate -> map -> sink, default batching) whose
/// generator stamps each event with the steady clock and whose sink reads
/// the clock once per batch. First a run at full speed finds the
/// pipeline's maximum rate; then a run with `generate(...).rate()` at half
/// of it measures the percentiles:
///
///   bench latency-p1 max=R rate=R/2 achieved=.. records=N p50=..us
///     p90=..us p99=..us p999=..us max-latency=..us
///
/// Fails if the sinks did not receive every record produced.
[[nodiscard]] caf::error run_latency_case(caf::actor_system& sys,
                                          const bench_plan& plan,
                                          uint32_t parallelism);

} // namespace sluice::bench
