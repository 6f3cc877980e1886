#pragma once

#include "bench/bench_plan.hpp"
#include "bench/engine_pipelines.hpp"

#include <caf/actor_system.hpp>
#include <caf/error.hpp>

namespace sluice::bench {

// The batch-size sweep of issue 2's benchmark. For each batch size in
// `plan.sweep_batch_sizes` (1, 64, 1024) it prints, each on one line,
//
//   bench batch-sweep stateless-p1 batch=B records=N engine=X records/s
//     caf-actors=Y ratio-vs-caf-actors=X/Y
//   bench batch-sweep keyed-count-p2 batch=B records=N keys=K distinct=D
//     engine=X records/s
//
// Every stage of the Sluice jobs ships batches of B records and may hold
// `budget_for(B)` records waiting; the plain-CAF-actor baseline passes
// batches of B records with the same window, `budget_for(B) / B` batches
// per hop. No checkpoints. Each figure is the median of `plan.repetitions`
// runs; the runs of one batch size alternate so that drift in the
// machine's load hits all alike. A run whose sinks did not receive exactly
// what the sources produced (counts and checksums, as in
// throughput_cases.hpp) fails the case.

/// generate -> map -> sink at parallelism 1 next to plain CAF actors, and
/// generate -> key_by -> count -> sink at parallelism 2, per batch size.
[[nodiscard]] caf::error run_batch_sweep_case(caf::actor_system& sys,
                                              const bench_plan& plan,
                                              workloads& work);

} // namespace sluice::bench
