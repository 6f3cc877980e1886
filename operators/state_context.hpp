#pragma once

#include "operators/instance_context.hpp"
#include "operators/type_requirements.hpp"
#include "state/keyed_map_state.hpp"
#include "state/keyed_value_state.hpp"
#include "state/operator_value_state.hpp"
#include "state/state_registry.hpp"

#include <string>

namespace sluice::operators {

/// Handed to a user operator's setup function, once per instance: declares
/// the instance's checkpointed states by name. Names must stay the same
/// across runs of a job: a restore finds each state by its name.
class state_context {
public:
  state_context(state::state_registry& registry, const instance_context& ctx)
      : registry_(registry), ctx_(ctx) {}

  /// One value per key (after `key_by`, the instance holds the keys of its
  /// key groups).
  template <class K, class V>
  state::keyed_value_state<K, V>& value_state(std::string name) {
    check_key_type<K>();
    check_state_type<V>();
    return registry_.make<state::keyed_value_state<K, V>>(std::move(name));
  }

  /// Per key, a map from user keys to values (ordered: user keys need
  /// `<`).
  template <class K, class UK, class UV>
  state::keyed_map_state<K, UK, UV>& map_state(std::string name) {
    check_key_type<K>();
    check_state_type<UK>();
    check_state_type<UV>();
    return registry_.make<state::keyed_map_state<K, UK, UV>>(std::move(name));
  }

  /// One value for the whole instance.
  template <class T>
  state::operator_value_state<T>& operator_state(std::string name) {
    check_state_type<T>();
    return registry_.make<state::operator_value_state<T>>(std::move(name));
  }

  const instance_context& instance() const noexcept { return ctx_; }

private:
  state::state_registry& registry_;
  const instance_context& ctx_;
};

} // namespace sluice::operators
