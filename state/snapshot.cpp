#include "state/snapshot.hpp"

#include "protocol/describe.hpp"
#include "protocol/string_output_archive.hpp"
#include "state/snapshot_frame.hpp"

namespace sluice::state {

namespace {

/// Above what cereal adds to the sections' bytes: names, sizes, versions.
constexpr size_t fields_allowance = 256;

} // namespace

std::string encode_snapshot(const instance_snapshot& x) {
  auto out = open_frame();
  // Sized once: a body grown by doubling would be copied again on the way.
  size_t body = fields_allowance;
  if (x.sink_transaction)
    body += x.sink_transaction->size();
  for (auto& s : x.sections)
    body += s.name.size() + s.bytes.size() + fields_allowance;
  out.reserve(out.size() + body);
  {
    protocol::string_output_archive ar{out};
    ar(x);
  }
  close_frame(out);
  return out;
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

std::string to_string(const snapshot_identity& x) {
  auto text = "job '" + x.job + "', stage '" + x.stage + "' instance "
              + std::to_string(x.instance) + ", checkpoint "
              + std::to_string(x.checkpoint);
  if (x.kind == protocol::snapshot_kind::delta)
    text += " (delta on " + std::to_string(x.base) + ")";
  else
    text += " (full)";
  return text;
}

caf::expected<instance_snapshot>
decode_snapshot(std::string_view framed, const snapshot_identity& expected) {
  auto what = "checkpoint " + std::to_string(expected.checkpoint) + ", stage '"
              + expected.stage + "' instance "
              + std::to_string(expected.instance);
  auto result = decode_snapshot(framed, what);
  if (result && result->identity && *result->identity != expected)
    return caf::make_error(errc::corrupt_snapshot,
                           what + ": the payload belongs to "
                             + to_string(*result->identity));
  return result;
}

std::string instance_image::encode(const snapshot_identity& identity) const {
  instance_snapshot x;
  x.identity = identity;
  x.kind = kind;
  x.source_offset = source_offset;
  x.source_records = source_records;
  x.sink_transaction = sink_transaction;
  for (auto& s : sections)
    x.sections.push_back(state_section{s->name(), s->kind(), s->encode()});
  return encode_snapshot(x);
}

} // namespace sluice::state
