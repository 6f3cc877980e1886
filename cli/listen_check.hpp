#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace sluice::cli {

/// Why nothing can listen on `host`:`port` now (the port is taken, the
/// address is not this machine's), or nothing when it can. Binds a socket
/// and closes it again, so that `sluice run` refuses a metrics port before
/// the job starts instead of running without its endpoint.
std::optional<std::string> listen_problem(const std::string& host,
                                          uint16_t port);

} // namespace sluice::cli
