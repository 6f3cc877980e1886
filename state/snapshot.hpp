#pragma once

#include "protocol/checkpoint_id.hpp"
#include "state/cereal_codec.hpp"

#include <caf/expected.hpp>

#include <cereal/cereal.hpp>
#include <cereal/types/common.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sluice::state {

/// One named state of an instance, as stored: all of it (full) or what
/// changed since the previous checkpoint (delta), in that state's own
/// cereal layout.
struct state_section {
  std::string name;
  protocol::snapshot_kind kind = protocol::snapshot_kind::full;
  std::string bytes;

  template <class Archive>
  void serialize(Archive& ar, uint32_t /* version */) {
    ar(name, kind, bytes);
  }
};

/// Everything one instance stored for one checkpoint: the body of a framed
/// snapshot payload.
struct instance_snapshot {
  protocol::snapshot_kind kind = protocol::snapshot_kind::full;
  /// A source's position after the last record before its barrier.
  std::optional<uint64_t> source_offset;
  /// Records a source read up to its barrier, over all its runs.
  std::optional<uint64_t> source_records;
  /// A sink's pre-committed transaction (rule C4), as the sink describes it.
  std::optional<std::string> sink_transaction;
  std::vector<state_section> sections;

  template <class Archive>
  void serialize(Archive& ar, uint32_t /* version */) {
    ar(kind, source_offset, source_records, sink_transaction, sections);
  }
};

/// The framed, checksummed payload of `x`.
std::string encode_snapshot(const instance_snapshot& x);

/// The snapshot in a framed payload; `what` names it in errors ("checkpoint
/// 7, stage 'count' instance 1").
[[nodiscard]] caf::expected<instance_snapshot>
decode_snapshot(std::string_view framed, const std::string& what);

/// A copy of one state taken at a barrier: cheap to take in the operator,
/// encoded later by the store actor, off the data path.
class section_image {
public:
  section_image(std::string name, protocol::snapshot_kind kind)
      : name_(std::move(name)), kind_(kind) {}

  virtual ~section_image() = default;

  /// The state's bytes in its cereal layout.
  virtual std::string encode() const = 0;

  const std::string& name() const noexcept { return name_; }

  protocol::snapshot_kind kind() const noexcept { return kind_; }

private:
  std::string name_;
  protocol::snapshot_kind kind_;
};

/// All an instance hands to the store for one checkpoint.
struct instance_image {
  protocol::snapshot_kind kind = protocol::snapshot_kind::full;
  std::optional<uint64_t> source_offset;
  std::optional<uint64_t> source_records;
  std::optional<std::string> sink_transaction;
  std::vector<std::unique_ptr<section_image>> sections;

  /// Serializes the sections and frames the result.
  std::string encode() const;
};

} // namespace sluice::state

CEREAL_CLASS_VERSION(sluice::state::state_section, 1)
CEREAL_CLASS_VERSION(sluice::state::instance_snapshot, 1)
