#pragma once

#include "state/keyed_value_state.hpp"

#include <map>
#include <tuple>

namespace sluice::state {

/// Per key, a map from user keys to values. Tracks changes per (key, user
/// key) entry, so that a delta holds only the entries written or erased
/// since the last image, however large a key's map grows. Runs inside the
/// instance's actor; not thread-safe.
template <class K, class UK, class UV>
class keyed_map_state final : public checkpointed_state {
public:
  using entry_key = std::pair<K, UK>;

  /// The value under (`key`, `user_key`), or null.
  const UV* get(const K& key, const UK& user_key) const {
    auto i = maps_.find(key);
    if (i == maps_.end())
      return nullptr;
    auto j = i->second.find(user_key);
    return j == i->second.end() ? nullptr : &j->second;
  }

  void put(const K& key, const UK& user_key, UV value) {
    maps_[key][user_key] = std::move(value);
    written_.emplace_back(key, user_key);
  }

  bool erase(const K& key, const UK& user_key) {
    auto i = maps_.find(key);
    if (i == maps_.end() || i->second.erase(user_key) == 0)
      return false;
    if (i->second.empty())
      maps_.erase(i);
    erased_.emplace_back(key, user_key);
    return true;
  }

  /// Erases every entry of `key`.
  void clear(const K& key) {
    auto i = maps_.find(key);
    if (i == maps_.end())
      return;
    for (auto& [uk, v] : i->second)
      erased_.emplace_back(key, uk);
    maps_.erase(i);
  }

  /// The entries of `key`, ordered by user key; null when it has none.
  const std::map<UK, UV>* entries(const K& key) const {
    auto i = maps_.find(key);
    return i == maps_.end() ? nullptr : &i->second;
  }

  /// Number of keys with at least one entry.
  size_t size() const noexcept { return maps_.size(); }

  // -- checkpointed_state -----------------------------------------------------

  std::unique_ptr<section_image>
  take_image(const std::string& name, protocol::snapshot_kind kind) override {
    std::vector<std::tuple<K, UK, UV>> upserts;
    std::vector<entry_key> deletes;
    if (kind == protocol::snapshot_kind::full) {
      for (auto& [k, m] : maps_)
        for (auto& [uk, v] : m)
          upserts.emplace_back(k, uk, v);
    } else {
      for (auto& [k, uk] : written_)
        if (auto v = get(k, uk))
          upserts.emplace_back(k, uk, *v);
      for (auto& [k, uk] : erased_)
        if (!get(k, uk))
          deletes.emplace_back(k, uk);
    }
    written_.clear();
    erased_.clear();
    return std::make_unique<
      copied_image<std::vector<std::tuple<K, UK, UV>>, std::vector<entry_key>>>(
      name, kind, std::move(upserts), std::move(deletes));
  }

  caf::error apply(const state_section& section,
                   const std::string& what) override {
    std::vector<std::tuple<K, UK, UV>> upserts;
    std::vector<entry_key> deletes;
    if (auto err = from_bytes(section.bytes, what, upserts, deletes))
      return err;
    if (section.kind == protocol::snapshot_kind::full)
      maps_.clear();
    for (auto& [k, uk, v] : upserts)
      maps_[k][uk] = std::move(v);
    for (auto& [k, uk] : deletes)
      if (auto i = maps_.find(k); i != maps_.end()) {
        i->second.erase(uk);
        if (i->second.empty())
          maps_.erase(i);
      }
    written_.clear();
    erased_.clear();
    return caf::none;
  }

private:
  std::unordered_map<K, std::map<UK, UV>, key_hasher<K>> maps_;
  std::vector<entry_key> written_;
  std::vector<entry_key> erased_;
};

} // namespace sluice::state
