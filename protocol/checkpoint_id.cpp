#include "protocol/checkpoint_id.hpp"

namespace sluice::protocol {

std::string to_string(checkpoint_mode x) {
  return x == checkpoint_mode::exactly_once ? "exactly-once" : "at-least-once";
}

std::string to_string(snapshot_kind x) {
  return x == snapshot_kind::full ? "full" : "delta";
}

} // namespace sluice::protocol
