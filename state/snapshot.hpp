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

/// What a stored snapshot belongs to. It travels inside the checksummed
/// body, so a payload moved to another job, stage, instance or checkpoint,
/// or a checkpoint row whose kind or base was changed, is refused on
/// restore instead of restoring the wrong state.
struct snapshot_identity {
  std::string job;
  std::string stage;
  uint32_t instance = 0;
  uint64_t checkpoint = 0;
  /// The checkpoint's kind and base, as the checkpoint plan had them.
  protocol::snapshot_kind kind = protocol::snapshot_kind::full;
  uint64_t base = 0;

  template <class Archive>
  void serialize(Archive& ar, uint32_t /* version */) {
    ar(job, stage, instance, checkpoint, kind, base);
  }

  friend bool operator==(const snapshot_identity& x,
                         const snapshot_identity& y) {
    return x.job == y.job && x.stage == y.stage && x.instance == y.instance
           && x.checkpoint == y.checkpoint && x.kind == y.kind
           && x.base == y.base;
  }

  friend bool operator!=(const snapshot_identity& x,
                         const snapshot_identity& y) {
    return !(x == y);
  }
};

/// "job 'wc', stage 'count' instance 1, checkpoint 7 (delta on 5)".
std::string to_string(const snapshot_identity& x);

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
  /// Missing only in snapshots written before identities were stored
  /// (class version 1): those restore unchecked.
  std::optional<snapshot_identity> identity;

  template <class Archive>
  void serialize(Archive& ar, uint32_t version) {
    ar(kind, source_offset, source_records, sink_transaction, sections);
    if (version >= 2)
      ar(identity);
  }
};

/// The framed, checksummed payload of `x`.
std::string encode_snapshot(const instance_snapshot& x);

/// The snapshot in a framed payload; `what` names it in errors ("checkpoint
/// 7, stage 'count' instance 1").
[[nodiscard]] caf::expected<instance_snapshot>
decode_snapshot(std::string_view framed, const std::string& what);

/// The snapshot in a framed payload, refused (`errc::corrupt_snapshot`)
/// unless it says it belongs where `expected` says it was found.
[[nodiscard]] caf::expected<instance_snapshot>
decode_snapshot(std::string_view framed, const snapshot_identity& expected);

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

  /// Serializes the sections and frames the result, stamped with what it
  /// belongs to.
  std::string encode(const snapshot_identity& identity) const;
};

} // namespace sluice::state

CEREAL_CLASS_VERSION(sluice::state::state_section, 1)
CEREAL_CLASS_VERSION(sluice::state::instance_snapshot, 2)
CEREAL_CLASS_VERSION(sluice::state::snapshot_identity, 1)
