#pragma once

#include "observability/job_sample.hpp"

#include <caf/expected.hpp>

#include <string>
#include <string_view>

namespace sluice::observability {

/// The sample as the JSON document the dashboard polls (`/api/state`):
/// times in seconds, counts as integers, alignment `null` when unknown.
std::string state_json(const job_sample& s);

/// Reads what `state_json` wrote, for `sluice status`. Rejects a document
/// that is not one, naming what is missing.
[[nodiscard]] caf::expected<job_sample> parse_state_json(std::string_view text);

} // namespace sluice::observability
