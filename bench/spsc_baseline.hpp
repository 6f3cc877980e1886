#pragma once

#include "bench/baseline_options.hpp"

#include <caf/expected.hpp>

namespace sluice::bench {

/// The stateless case as two `std::thread`s per lane passing batches of
/// `event`s through a bounded single-producer single-consumer ring
/// (`opts.window` slots of `opts.batch_size` records): the practical limit
/// of moving records between cores. The producer makes the records, the
/// consumer maps and sums them, as the Sluice job's source, map and sink
/// do. Blocks the calling thread for the run.
[[nodiscard]] caf::expected<baseline_run>
run_spsc_baseline(const baseline_options& opts);

} // namespace sluice::bench
