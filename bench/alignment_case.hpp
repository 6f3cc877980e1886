#pragma once

#include "bench/bench_plan.hpp"

#include <caf/actor_system.hpp>
#include <caf/error.hpp>

namespace sluice::bench {

/// Barrier alignment of a 2-input operator under backpressure: two
/// generators feed a `union_with` stage, a sink behind it takes 1 us per
/// record (so the union's inputs are full and the barriers queue behind
/// records), and exactly-once checkpoints run every
/// `plan.alignment_interval`. The figures come from the union instance's
/// live metrics (`job_handle::metrics()`): `snapshots`, `alignment_ns`
/// (their sum) and `last_alignment_ns`, sampled each millisecond for the
/// median and maximum. For comparison the same job runs again with a sink
/// that does no extra work:
///
///   bench alignment inputs=2 interval-ms=.. sink-ns-per-record=1000
///     snapshots=.. mean=..ms p50=..ms max=..ms backpressured=..%
///     checkpoints=.. ckpt-ms-mean=.. ckpt-ms-max=.. unthrottled-snapshots=..
///     unthrottled-mean=..ms unthrottled-max=..ms
///     unthrottled-backpressured=..%
///
/// (on one line; "backpressured" is the share of the sources' time spent
/// with full outputs).
/// Fails if the sink did not receive every record of both sources.
[[nodiscard]] caf::error run_alignment_case(caf::actor_system& sys,
                                            const bench_plan& plan);

} // namespace sluice::bench
