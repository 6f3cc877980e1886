#pragma once

#include <caf/error.hpp>

#include <string>

namespace sluice::protocol {

/// The text of an error for people. Sluice's errors carry one complete
/// sentence that names the stage, file or record at fault; other errors are
/// rendered by CAF.
std::string describe(const caf::error& err);

} // namespace sluice::protocol
