#pragma once

#include "protocol/checkpoint_id.hpp"
#include "state/snapshot.hpp"

#include <caf/error.hpp>

#include <memory>
#include <string>

namespace sluice::state {

/// A state that takes part in checkpoints: it hands out a cheap copy of
/// itself (all of it, or what changed since the last copy) and applies what
/// it handed out before, in order, when restored.
class checkpointed_state {
public:
  virtual ~checkpointed_state() = default;

  /// A copy for checkpoint use. After it, change tracking starts afresh:
  /// the next delta holds what changes from now on.
  virtual std::unique_ptr<section_image>
  take_image(const std::string& name, protocol::snapshot_kind kind) = 0;

  /// Applies a stored section: a full one replaces the state, a delta
  /// updates it. Errors name `what` (checkpoint, stage, instance, state).
  [[nodiscard]] virtual caf::error apply(const state_section& section,
                                         const std::string& what)
    = 0;
};

/// A section image holding a copy of some data, encoded with cereal.
template <class... Ts>
class copied_image final : public section_image {
public:
  copied_image(std::string name, protocol::snapshot_kind kind, Ts... xs)
      : section_image(std::move(name), kind), data_(std::move(xs)...) {}

  std::string encode() const override {
    return std::apply([](const auto&... xs) { return to_bytes(xs...); }, data_);
  }

private:
  std::tuple<Ts...> data_;
};

} // namespace sluice::state
