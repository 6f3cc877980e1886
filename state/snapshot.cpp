#include "state/snapshot.hpp"

#include "protocol/describe.hpp"
#include "state/snapshot_frame.hpp"

namespace sluice::state {

std::string encode_snapshot(const instance_snapshot& x) {
  return frame(to_bytes(x));
}

caf::expected<instance_snapshot> decode_snapshot(std::string_view framed,
                                                 const std::string& what) {
  auto body = unframe(framed);
  if (!body)
    return caf::make_error(errc::corrupt_snapshot,
                           what + ": " + protocol::describe(body.error()));
  instance_snapshot result;
  if (auto err = from_bytes(*body, what, result))
    return err;
  return result;
}

std::string instance_image::encode() const {
  instance_snapshot x;
  x.kind = kind;
  x.source_offset = source_offset;
  x.source_records = source_records;
  x.sink_transaction = sink_transaction;
  for (auto& s : sections)
    x.sections.push_back(state_section{s->name(), s->kind(), s->encode()});
  return encode_snapshot(x);
}

} // namespace sluice::state
