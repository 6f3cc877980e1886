#include "state/state_registry.hpp"

#include "state/errc.hpp"

namespace sluice::state {

void state_registry::add(std::string name, checkpointed_state& state) {
  entries_.push_back(entry{std::move(name), &state});
}

checkpointed_state* state_registry::find(const std::string& name) const {
  for (auto& e : entries_)
    if (e.name == name)
      return e.state;
  return nullptr;
}

void state_registry::take_images(protocol::snapshot_kind kind,
                                 instance_image& into) {
  for (auto& e : entries_)
    into.sections.push_back(e.state->take_image(e.name, kind));
}

caf::error state_registry::restore(const std::vector<instance_snapshot>& chain,
                                   const std::string& what) {
  for (auto& snapshot : chain) {
    for (auto& section : snapshot.sections) {
      auto state = find(section.name);
      if (state == nullptr)
        return caf::make_error(errc::state_mismatch,
                               what + ": the snapshot holds state '"
                                 + section.name
                                 + "', which the operator does not declare");
      if (auto err
          = state->apply(section, what + ", state '" + section.name + "'"))
        return err;
    }
  }
  return caf::none;
}

} // namespace sluice::state
