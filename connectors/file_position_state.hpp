#pragma once

#include "connectors/line_reader.hpp"
#include "state/cereal_codec.hpp"
#include "state/checkpointed_state.hpp"

#include <optional>

namespace sluice::connectors {

/// The fingerprint of the file a source reads, as a state of its
/// snapshots: taken from the reader at each snapshot (next to the offset),
/// and kept on restore for the `seek` that follows. Snapshots taken before
/// this state existed lack it; their sources resume unchecked, as before.
class file_position_state final : public state::checkpointed_state {
public:
  explicit file_position_state(const line_reader& reader) : reader_(reader) {}

  std::unique_ptr<state::section_image>
  take_image(const std::string& name, protocol::snapshot_kind) override {
    return std::make_unique<state::copied_image<file_fingerprint>>(
      name, protocol::snapshot_kind::full, reader_.fingerprint());
  }

  caf::error apply(const state::state_section& section,
                   const std::string& what) override {
    file_fingerprint x;
    if (auto err = state::from_bytes(section.bytes, what, x))
      return err;
    restored_ = x;
    return caf::none;
  }

  /// The fingerprint of the checkpoint restored, if it had one.
  const std::optional<file_fingerprint>& restored() const noexcept {
    return restored_;
  }

private:
  const line_reader& reader_;
  std::optional<file_fingerprint> restored_;
};

} // namespace sluice::connectors
