#pragma once

#include <caf/error.hpp>
#include <caf/make_message.hpp>

#include <cstdint>
#include <ostream>
#include <string>

namespace sluice::actors {

/// Why an instance or a job failed. The context is one sentence naming the
/// stage, the instance and, where known, the record.
enum class errc : uint8_t {
  operator_failed = 1, ///< User code threw while processing a record.
  start_failed,        ///< An instance could not start (a file, say).
  protocol_violation,  ///< A peer broke a dataflow rule.
  checkpoint_aborted,  ///< A checkpoint did not complete; context says why.
  injected_fault,      ///< A fault injected for a test or drill.
  too_many_restarts,   ///< The restart policy gave up; context has the last
                       ///< error.
  node_refused,        ///< A node turned a job away; context says why.
};

std::string to_string(errc x);

inline std::ostream& operator<<(std::ostream& os, errc x) {
  return os << to_string(x);
}

} // namespace sluice::actors

CAF_ERROR_CODE_ENUM(sluice::actors::errc, "sl_actors")
