#pragma once

#include <caf/error.hpp>
#include <caf/make_message.hpp>

#include <cstdint>
#include <ostream>
#include <string>

namespace sluice::observability {

/// Why serving or reading a job's metrics failed. The context is one
/// sentence naming the address or the URL at fault.
enum class errc : uint8_t {
  listen_failed = 1, ///< The metrics server could not bind its address.
  bad_url,           ///< `sluice status` got a URL it cannot use.
  fetch_failed,      ///< No answer, or not 200, from a metrics server.
  bad_response,      ///< The answer was not the state of a Sluice job.
  no_graph,          ///< The job's graph could not be planned.
};

std::string to_string(errc x);

inline std::ostream& operator<<(std::ostream& os, errc x) {
  return os << to_string(x);
}

} // namespace sluice::observability

CAF_ERROR_CODE_ENUM(sluice::observability::errc, "sl_observ")
