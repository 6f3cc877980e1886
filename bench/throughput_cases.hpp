#pragma once

#include "bench/bench_plan.hpp"
#include "bench/engine_pipelines.hpp"

#include <caf/actor_system.hpp>
#include <caf/error.hpp>

#include <cstdint>

namespace sluice::bench {

// Each case prints two lines, e.g. for parallelism 1
//
//   bench stateless-p1 ... engine=X records/s caf-actors=.. caf-streams=..
//     spsc=.. ratio-vs-caf-actors=.. ratio-vs-caf-streams=.. ratio-vs-spsc=..
//   bench stateless-p1-ckpt ... engine=Y records/s no-ckpt=X
//     ratio-vs-no-ckpt=Y/X checkpoints=..
//
// (each on one line). Runs with and without checkpoints alternate, and so
// do the baselines, so that drift in the machine's load hits all alike;
// each figure is the median of `plan.repetitions` runs. A run whose sinks
// did not receive exactly what the sources produced fails the case.

/// generate -> map -> sink over `event`s next to the three baselines (SPSC
/// threads, plain CAF actors, CAF streams) with as many lanes as instances.
[[nodiscard]] caf::error run_stateless_case(caf::actor_system& sys,
                                            const bench_plan& plan,
                                            workloads& work,
                                            uint32_t parallelism);

/// Keyed count over `plan.key_space` keys with Zipf skew.
[[nodiscard]] caf::error run_keyed_count_case(caf::actor_system& sys,
                                              const bench_plan& plan,
                                              workloads& work,
                                              uint32_t parallelism);

/// Wordcount over generated text; rates in words per second.
[[nodiscard]] caf::error run_wordcount_case(caf::actor_system& sys,
                                            const bench_plan& plan,
                                            workloads& work,
                                            uint32_t parallelism);

} // namespace sluice::bench
