#pragma once

#include "bench/baseline_options.hpp"

#include <caf/actor_system.hpp>
#include <caf/expected.hpp>

namespace sluice::bench {

/// The stateless case without Sluice: per lane three plain CAF actors,
/// source -> map -> sink, passing `std::vector<event>` batches with a fixed
/// credit window per hop (caf-0.17-guide.md sections 2 and 7). The source
/// makes the same records as the Sluice job's generator and the map and
/// sink do the same work, so the difference is what the engine costs.
/// Blocks the calling thread (not an actor's) until every sink ended.
[[nodiscard]] caf::expected<baseline_run>
run_caf_actor_baseline(caf::actor_system& sys, const baseline_options& opts);

} // namespace sluice::bench
