#pragma once

#include <caf/error.hpp>
#include <caf/make_message.hpp>

#include <cstdint>
#include <ostream>
#include <string>

namespace sluice::protocol {

/// Errors of the dataflow protocol and of job graphs. The context of each
/// error names the stage at fault.
enum class errc : uint8_t {
  cycle = 1,            ///< The stages form a cycle; context: one stage on it.
  missing_input,        ///< A stage that needs an input has none.
  unknown_stage,        ///< An edge names a stage that does not exist.
  duplicate_stage,      ///< Two stages share one name.
  zero_parallelism,     ///< A stage asks for 0 instances.
  zero_batch_size,      ///< A stage asks for batches of 0 records.
  budget_too_small,     ///< A budget without a full batch per input (D4).
  type_mismatch,        ///< An edge connects different record types.
  parallelism_mismatch, ///< A forward edge between unequal parallelisms.
  unexpected_input,     ///< A source was given an input.
  unsupported,          ///< The stage cannot run as configured.
  credit_exceeded,      ///< A producer sent more records than its credit.
  wire_format,          ///< A batch from the network failed to decode.
};

std::string to_string(errc x);

inline std::ostream& operator<<(std::ostream& os, errc x) {
  return os << to_string(x);
}

} // namespace sluice::protocol

CAF_ERROR_CODE_ENUM(sluice::protocol::errc, "sl_proto")
