#include "protocol/partitioning.hpp"

namespace sluice::protocol {

std::string to_string(partitioning x) {
  switch (x) {
  case partitioning::forward:
    return "forward";
  case partitioning::hash:
    return "hash";
  case partitioning::rebalance:
    return "rebalance";
  case partitioning::broadcast:
    return "broadcast";
  }
  return "partitioning(" + std::to_string(static_cast<int>(x)) + ")";
}

std::optional<partitioning> parse_partitioning(std::string_view text) {
  for (auto x : {partitioning::forward, partitioning::hash,
                 partitioning::rebalance, partitioning::broadcast})
    if (text == to_string(x))
      return x;
  return std::nullopt;
}

} // namespace sluice::protocol
