#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

namespace sluice::protocol {

/// How an edge spreads the records of each upstream instance over the
/// downstream instances (rule D8).
enum class partitioning : uint8_t {
  forward,   ///< Instance i to instance i; both stages have equal parallelism.
  hash,      ///< By key group of the record's key.
  rebalance, ///< Round robin over all downstream instances.
  broadcast, ///< Every record to every downstream instance.
};

std::string to_string(partitioning x);

/// Parses "forward", "hash", "rebalance" or "broadcast".
std::optional<partitioning> parse_partitioning(std::string_view text);

inline std::ostream& operator<<(std::ostream& os, partitioning x) {
  return os << to_string(x);
}

} // namespace sluice::protocol
