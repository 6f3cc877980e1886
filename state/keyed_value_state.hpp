#pragma once

#include "protocol/key_hash.hpp"

#include <cstddef>
#include <unordered_map>
#include <utility>

namespace sluice::state {

/// One value per key, for the keys an operator instance owns (those of its
/// key groups). Runs inside the instance's actor; not thread-safe.
template <class K, class V>
class keyed_value_state {
public:
  struct hasher {
    size_t operator()(const K& key) const {
      return static_cast<size_t>(protocol::key_hash<K>{}(key));
    }
  };

  using map_type = std::unordered_map<K, V, hasher>;

  /// The value of `key`, or null.
  V* find(const K& key) {
    auto i = values_.find(key);
    return i == values_.end() ? nullptr : &i->second;
  }

  /// The value of `key`, created by `init()` when absent.
  template <class Init>
  V& get_or_init(const K& key, Init&& init) {
    auto i = values_.find(key);
    if (i == values_.end())
      i = values_.emplace(key, init()).first;
    return i->second;
  }

  void put(const K& key, V value) { values_[key] = std::move(value); }

  bool erase(const K& key) { return values_.erase(key) > 0; }

  size_t size() const noexcept { return values_.size(); }

  const map_type& values() const noexcept { return values_; }

private:
  map_type values_;
};

} // namespace sluice::state
