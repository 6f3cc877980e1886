#pragma once

#include "protocol/key_hash.hpp"
#include "state/checkpointed_state.hpp"

#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <utility>
#include <vector>

namespace sluice::state {

/// Hashes keys the way the engine partitions them.
template <class K>
struct key_hasher {
  size_t operator()(const K& key) const {
    return static_cast<size_t>(protocol::key_hash<K>{}(key));
  }
};

/// One value per key, for the keys an operator instance owns (those of its
/// key groups). Tracks the keys written or erased since the last image, so
/// that a delta holds only those. Runs inside the instance's actor; not
/// thread-safe.
template <class K, class V>
class keyed_value_state final : public checkpointed_state {
public:
  keyed_value_state() = default;
  // The lists of entries point into the map's nodes: a copy's lists would
  // point into the original.
  keyed_value_state(const keyed_value_state&) = delete;
  keyed_value_state& operator=(const keyed_value_state&) = delete;

  /// The value of `key`, or null. Writing through the pointer is a change:
  /// use `get` for reads that must not count as one.
  V* find(const K& key) {
    auto i = values_.find(key);
    if (i == values_.end())
      return nullptr;
    touch(*i);
    return &i->second.value;
  }

  /// The value of `key` for reading, or null.
  const V* get(const K& key) const {
    auto i = values_.find(key);
    return i == values_.end() ? nullptr : &i->second.value;
  }

  /// The value of `key`, created by `init()` when absent.
  template <class Init>
  V& get_or_init(const K& key, Init&& init) {
    auto i = values_.find(key);
    if (i == values_.end())
      i = enlist(values_.emplace(key, entry{init()}).first);
    touch(*i);
    return i->second.value;
  }

  void put(const K& key, V value) {
    auto i = slot_of(key);
    i->second.value = std::move(value);
    touch(*i);
  }

  bool erase(const K& key) {
    auto i = values_.find(key);
    if (i == values_.end())
      return false;
    // Its slot in `written_` must not point to a node that is gone.
    if (i->second.epoch == epoch_)
      written_[i->second.slot] = nullptr;
    remove(i);
    erased_.push_back(key);
    return true;
  }

  size_t size() const noexcept { return values_.size(); }

  /// Calls `f(key, value)` for every key.
  template <class F>
  void for_each(F&& f) const {
    for (auto& [k, e] : values_)
      f(k, e.value);
  }

  /// Keys written or erased since the last image (an erased key that was
  /// written before counts twice).
  size_t changed() const noexcept { return written_.size() + erased_.size(); }

  // -- checkpointed_state -----------------------------------------------------

  std::unique_ptr<section_image>
  take_image(const std::string& name, protocol::snapshot_kind kind) override {
    std::vector<std::pair<K, V>> upserts;
    std::vector<K> deletes;
    if (kind == protocol::snapshot_kind::full) {
      // Through the list of entries, not the map: walking the map's own
      // chain of nodes waits for one cache miss after the other.
      copy_entries(all_, upserts);
    } else {
      // Straight to the written entries: another lookup per key would cost
      // as much as the writes did.
      copy_entries(written_, upserts);
      for (auto& k : erased_)
        if (values_.count(k) == 0)
          deletes.push_back(k);
    }
    written_.clear();
    erased_.clear();
    ++epoch_;
    return std::make_unique<
      copied_image<std::vector<std::pair<K, V>>, std::vector<K>>>(
      name, kind, std::move(upserts), std::move(deletes));
  }

  caf::error apply(const state_section& section,
                   const std::string& what) override {
    std::vector<std::pair<K, V>> upserts;
    std::vector<K> deletes;
    if (auto err = from_bytes(section.bytes, what, upserts, deletes))
      return err;
    if (section.kind == protocol::snapshot_kind::full) {
      values_.clear();
      all_.clear();
      // Sized before filling: rehashing while inserting a million keys
      // costs more than decoding them.
      values_.reserve(upserts.size());
      all_.reserve(upserts.size());
    }
    for (auto& [k, v] : upserts) {
      auto i = slot_of(std::move(k));
      i->second.value = std::move(v);
      i->second.epoch = epoch_;
    }
    for (auto& k : deletes)
      if (auto i = values_.find(k); i != values_.end())
        remove(i);
    written_.clear();
    erased_.clear();
    ++epoch_;
    return caf::none;
  }

private:
  struct entry {
    V value{};
    uint64_t epoch = 0; ///< Last image epoch in which the key changed.
    size_t slot = 0;    ///< Its place in `written_` during that epoch.
    size_t place = 0;   ///< Its place in `all_`.
  };

  using map_type = std::unordered_map<K, entry, key_hasher<K>>;
  using node_type = typename map_type::value_type;

  /// The entry of `key`, added (default value, in `all_`) when absent.
  template <class Key>
  typename map_type::iterator slot_of(Key&& key) {
    auto [i, added] = values_.try_emplace(std::forward<Key>(key));
    return added ? enlist(i) : i;
  }

  /// Adds a new entry to `all_`.
  typename map_type::iterator enlist(typename map_type::iterator i) {
    i->second.place = all_.size();
    all_.push_back(&*i);
    return i;
  }

  /// Erases an entry; the last one in `all_` takes its place there.
  void remove(typename map_type::iterator i) {
    auto place = i->second.place;
    all_[place] = all_.back();
    all_[place]->second.place = place;
    all_.pop_back();
    values_.erase(i);
  }

  /// Copies the entries behind `nodes`, skipping null ones. The nodes lie
  /// scattered over the heap: fetching some ahead keeps several cache
  /// misses in flight at once (about ten times faster for a million).
  static void copy_entries(const std::vector<node_type*>& nodes,
                           std::vector<std::pair<K, V>>& out) {
    constexpr size_t ahead = 16;
    out.reserve(out.size() + nodes.size());
    for (size_t i = 0; i < nodes.size(); ++i) {
      if (i + ahead < nodes.size() && nodes[i + ahead] != nullptr)
        __builtin_prefetch(nodes[i + ahead]);
      if (auto* node = nodes[i])
        out.emplace_back(node->first, node->second.value);
    }
  }

  /// Records the entry as written in this epoch, once. Nodes of an
  /// unordered_map stay where they are until erased, rehashing included.
  void touch(node_type& node) {
    auto& e = node.second;
    if (e.epoch == epoch_)
      return;
    e.epoch = epoch_;
    e.slot = written_.size();
    written_.push_back(&node);
  }

  map_type values_;
  /// Every entry, in no particular order: for full images.
  std::vector<node_type*> all_;
  /// The entries written since the last image; null where one was erased.
  std::vector<node_type*> written_;
  std::vector<K> erased_;
  /// Starts at 1 so that new entries (epoch 0) count as changed.
  uint64_t epoch_ = 1;
};

} // namespace sluice::state
