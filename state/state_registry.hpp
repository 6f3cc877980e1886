#pragma once

#include "state/checkpointed_state.hpp"
#include "state/snapshot.hpp"

#include <caf/error.hpp>

#include <memory>
#include <string>
#include <vector>

namespace sluice::state {

/// The named states of one operator instance: what its snapshots hold and
/// what a restore fills. Names identify states across runs, so they must
/// not change while a job's store is in use.
class state_registry {
public:
  /// Registers a state the instance owns elsewhere.
  void add(std::string name, checkpointed_state& state);

  /// Creates and registers a state owned by the registry.
  template <class State>
  State& make(std::string name) {
    auto ptr = std::make_unique<State>();
    auto& ref = *ptr;
    add(std::move(name), ref);
    owned_.push_back(std::move(ptr));
    return ref;
  }

  /// The named state, or null.
  checkpointed_state* find(const std::string& name) const;

  bool empty() const noexcept { return entries_.empty(); }

  /// Images of all states for one checkpoint.
  void take_images(protocol::snapshot_kind kind, instance_image& into);

  /// Applies a chain of snapshots, oldest (a full one) first. `what` names
  /// the instance in errors. A section for a state that is not registered is
  /// an error: the operator changed since the snapshot was taken.
  [[nodiscard]] caf::error restore(const std::vector<instance_snapshot>& chain,
                                   const std::string& what);

private:
  struct entry {
    std::string name;
    checkpointed_state* state;
  };

  std::vector<entry> entries_;
  std::vector<std::unique_ptr<checkpointed_state>> owned_;
};

} // namespace sluice::state
