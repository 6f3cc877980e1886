#pragma once

#include "bench/bench_plan.hpp"

#include <caf/actor_system.hpp>
#include <caf/error.hpp>

namespace sluice::bench {

/// Checkpoint cost of a keyed count holding `plan.snapshot_keys` keys: a
/// full snapshot, then an incremental one after 1% of the keys changed.
///
/// The first run counts every key once and ends with its final checkpoint
/// (the first of the store, so full). The second run resumes from it and
/// counts 1% of the keys again (every 100th); its final checkpoint is a
/// delta. Bytes, kind and duration (trigger to completion) come from the
/// checkpoint stats of the two job reports:
///
///   bench snapshot-1m keys=1000000 changed=10000 full-bytes=..
///     delta-bytes=.. ratio=.. full-ms=.. delta-ms=.. full-kind=full
///     delta-kind=delta
///
/// Fails if the counts are wrong: the first run must count each key once,
/// the resumed one must see the changed keys at two.
[[nodiscard]] caf::error run_snapshot_case(caf::actor_system& sys,
                                           const bench_plan& plan);

} // namespace sluice::bench
