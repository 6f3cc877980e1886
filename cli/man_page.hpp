#pragma once

#include <string>

namespace sluice::cli {

/// The manual page sluice(1) in roff: commands, stage types and engine
/// settings, from the same tables that `--help` and the job reader use.
std::string man_page(const std::string& version);

} // namespace sluice::cli
