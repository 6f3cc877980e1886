#pragma once

#include "bench/baseline_options.hpp"

#include <caf/actor_system.hpp>
#include <caf/expected.hpp>

namespace sluice::bench {

/// The stateless case on CAF 0.17's own stream API: per lane a source
/// (`attach_stream_source`), a map stage (`attach_stream_stage`) and a sink
/// (`attach_stream_sink`), doing the same per-record work as the Sluice
/// job. CAF sizes batches and credit itself, so `opts.batch_size` and
/// `opts.window` do not apply (caf-0.17-guide.md section 7). Blocks the
/// calling thread (not an actor's) until every sink ended.
[[nodiscard]] caf::expected<baseline_run>
run_caf_stream_baseline(caf::actor_system& sys, const baseline_options& opts);

} // namespace sluice::bench
