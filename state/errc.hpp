#pragma once

#include <caf/error.hpp>
#include <caf/make_message.hpp>

#include <cstdint>
#include <ostream>
#include <string>

namespace sluice::state {

/// Errors of snapshots and the checkpoint store. The context is one sentence
/// naming the file, checkpoint, stage or instance at fault.
enum class errc : uint8_t {
  snapshot_not_found = 1, ///< No snapshot stored for this checkpoint/instance.
  corrupt_snapshot,       ///< Stored bytes failed their checksum or decoding.
  storage_failed,         ///< SQLite reported an error; context has its text.
  no_checkpoint,          ///< The store holds no completed checkpoint.
  state_mismatch,         ///< A snapshot does not fit the operator's state.
  shape_changed,          ///< Checkpoints of a job shaped otherwise (S6).
};

std::string to_string(errc x);

inline std::ostream& operator<<(std::ostream& os, errc x) {
  return os << to_string(x);
}

} // namespace sluice::state

CAF_ERROR_CODE_ENUM(sluice::state::errc, "sl_state")
