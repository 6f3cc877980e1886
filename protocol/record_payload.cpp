#include "protocol/record_payload.hpp"

namespace sluice::protocol {

caf::error record_payload::encode() {
  if (!local_)
    return caf::none; // already in wire form
  return local_->encode(wire_);
}

} // namespace sluice::protocol
