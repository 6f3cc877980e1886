#pragma once

#include "protocol/checkpoint_messages.hpp"
#include "protocol/key_groups.hpp"
#include "protocol/key_hash.hpp"

#include <cstdint>
#include <deque>
#include <iterator>
#include <utility>
#include <vector>

namespace sluice::protocol {

/// One output channel of an instance: records waiting to be shipped, the
/// barriers between them, and the credit its consumer granted (rule D3).
template <class T>
struct channel_buffer {
  std::vector<T> pending;
  std::deque<barrier_mark> barriers;
  /// Latency markers behind records: (records ahead, origin time).
  std::deque<std::pair<size_t, int64_t>> markers;
  uint64_t credit = 0;
};

/// Appends `records` to `to`: moved when the caller gives them up, copied
/// otherwise. An empty buffer takes the whole vector without moving records.
template <class T>
void append_records(std::vector<T>& records, std::vector<T>& to, bool give_up) {
  if (give_up && to.empty()) {
    to.swap(records);
    return;
  }
  if (give_up)
    to.insert(to.end(), std::make_move_iterator(records.begin()),
              std::make_move_iterator(records.end()));
  else
    to.insert(to.end(), records.begin(), records.end());
}

/// Spreads records over the channels of one outgoing edge (rule D8). One
/// virtual call per batch; the loop over records is compiled per record
/// type and key function.
template <class T>
class edge_writer {
public:
  virtual ~edge_writer() = default;

  /// Number of channels of this edge at one upstream instance.
  virtual size_t num_channels() const = 0;

  /// Distributes `records` over `channels` (this edge's `num_channels()`
  /// buffers). Moves records when `give_up` (the last edge), else copies.
  virtual void route(std::vector<T>& records, channel_buffer<T>* channels,
                     bool give_up)
    = 0;
};

/// Instance i to instance i: one channel.
template <class T>
class forward_writer final : public edge_writer<T> {
public:
  size_t num_channels() const override { return 1; }

  void route(std::vector<T>& records, channel_buffer<T>* channels,
             bool give_up) override {
    append_records(records, channels[0].pending, give_up);
  }
};

/// Each record to every channel.
template <class T>
class broadcast_writer final : public edge_writer<T> {
public:
  explicit broadcast_writer(size_t n) : n_(n) {}

  size_t num_channels() const override { return n_; }

  void route(std::vector<T>& records, channel_buffer<T>* channels,
             bool give_up) override {
    for (size_t i = 0; i < n_; ++i)
      append_records(records, channels[i].pending, give_up && i + 1 == n_);
  }

private:
  size_t n_;
};

/// Records in turn to each channel.
template <class T>
class rebalance_writer final : public edge_writer<T> {
public:
  /// `start` staggers the instances of one stage, so that they do not all
  /// begin with the same consumer.
  rebalance_writer(size_t n, size_t start) : n_(n), next_(start % n) {}

  size_t num_channels() const override { return n_; }

  void route(std::vector<T>& records, channel_buffer<T>* channels,
             bool give_up) override {
    if (n_ == 1) {
      append_records(records, channels[0].pending, give_up);
      return;
    }
    for (auto& x : records) {
      if (give_up)
        channels[next_].pending.push_back(std::move(x));
      else
        channels[next_].pending.push_back(x);
      if (++next_ == n_)
        next_ = 0;
    }
  }

private:
  size_t n_;
  size_t next_;
};

/// By key group of the key that `KeyFn` extracts: equal keys always reach
/// the same downstream instance.
template <class T, class KeyFn>
class hash_writer final : public edge_writer<T> {
public:
  hash_writer(size_t n, key_groups groups, KeyFn key)
      : n_(n), groups_(groups), key_(std::move(key)) {}

  size_t num_channels() const override { return n_; }

  void route(std::vector<T>& records, channel_buffer<T>* channels,
             bool give_up) override {
    if (n_ == 1) {
      // One consumer owns every key group: no key to compute, and the
      // whole batch moves on without copying its records.
      append_records(records, channels[0].pending, give_up);
      return;
    }
    using key_type = std::decay_t<decltype(key_(records.front()))>;
    key_hash<key_type> hash;
    auto p = static_cast<uint32_t>(n_);
    for (auto& x : records) {
      auto group = groups_.group_of(hash(key_(x)));
      auto& to = channels[groups_.instance_of(group, p)].pending;
      if (give_up)
        to.push_back(std::move(x));
      else
        to.push_back(x);
    }
  }

private:
  size_t n_;
  key_groups groups_;
  KeyFn key_;
};

} // namespace sluice::protocol
