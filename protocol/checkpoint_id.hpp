#pragma once

#include <cstdint>
#include <ostream>
#include <string>

namespace sluice::protocol {

/// Identifies a checkpoint of a job; grows by one per checkpoint and keeps
/// growing across runs of the same job store.
enum class checkpoint_id : uint64_t {};

constexpr uint64_t to_integer(checkpoint_id x) noexcept {
  return static_cast<uint64_t>(x);
}

constexpr checkpoint_id next(checkpoint_id x) noexcept {
  return checkpoint_id{to_integer(x) + 1};
}

inline std::string to_string(checkpoint_id x) {
  return "checkpoint " + std::to_string(to_integer(x));
}

inline std::ostream& operator<<(std::ostream& os, checkpoint_id x) {
  return os << to_string(x);
}

/// How operators with several inputs treat barriers.
enum class checkpoint_mode : uint8_t {
  /// Align: an input that delivered barrier n waits until all did (A1), so
  /// the snapshot holds exactly the records before the barrier.
  exactly_once,
  /// No alignment: records after a barrier are processed at once and may be
  /// in the snapshot too; after a restore they are replayed (duplicates).
  at_least_once,
};

std::string to_string(checkpoint_mode x);

inline std::ostream& operator<<(std::ostream& os, checkpoint_mode x) {
  return os << to_string(x);
}

/// What a snapshot holds.
enum class snapshot_kind : uint8_t {
  full,  ///< The whole state.
  delta, ///< Keys changed or deleted since the previous checkpoint.
};

std::string to_string(snapshot_kind x);

inline std::ostream& operator<<(std::ostream& os, snapshot_kind x) {
  return os << to_string(x);
}

} // namespace sluice::protocol
