#pragma once

#include "bench/bench_plan.hpp"

#include <caf/actor_system.hpp>
#include <caf/error.hpp>

namespace sluice::bench {

/// Cost of one recovery against state size and checkpoint interval: for
/// each of `plan.recovery_keys` and `plan.recovery_intervals`, a keyed
/// count (parallelism 1, exactly-once checkpoints in a temporary SQLite
/// store, full every 10, no restart backoff) first counts every key once
/// at full speed, then reads `plan.recovery_rate` records per second with
/// uniformly random keys, paced like a log (`paced_source.hpp`: after a
/// restart the backlog is read at full speed). After 2.5 checkpoint
/// intervals of paced reading (at least `plan.recovery_lead`), one
/// injected fault (`faults.after_records`, count 1) fails the count
/// instance; the job restarts from its latest completed checkpoint and
/// reads on for another interval (at least `plan.recovery_tail`). The
/// figures come from the job's recovery metrics (`recovery_stats`):
///
///   bench recovery keys=.. interval-ms=.. rate=.. runs=..
///     read-per-interval=.. checkpoints-before-fault=..
///     restored-checkpoint=.. restored-kind=.. restored-bytes=..
///     resume-ms=.. resume-ms-max=.. replayed=.. replayed-per-interval=..
///     ckpt-ms-mean=.. ckpt-ms-max=..
///
/// (on one line per combination; with `--long` each figure is the median
/// of `plan.repetitions` runs, and the maxima are over all runs).
/// "read-per-interval" is what the source read per checkpoint interval
/// while paced, measured: a fault just before a checkpoint completes
/// replays about that much, more when checkpoints take longer than the
/// interval (see "ckpt-ms", trigger to completion, over the whole run).
/// A table of the main figures follows as comment lines.
///
/// Fails if the job fails, if it reports no recovery or more than one, if
/// it restored a checkpoint older than the newest one completed before the
/// failure, or if the final counts differ from the ground truth computed
/// from the generator (records, keys and two per-key checksums).
[[nodiscard]] caf::error run_recovery_case(caf::actor_system& sys,
                                           const bench_plan& plan);

} // namespace sluice::bench
