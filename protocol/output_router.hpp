#pragma once

#include "protocol/edge_writer.hpp"
#include "protocol/output_port.hpp"

#include <algorithm>
#include <cassert>
#include <cstddef>
#include <iterator>
#include <memory>
#include <vector>

namespace sluice::protocol {

/// The outputs of one instance producing records of type `T`: a staging
/// vector the operator fills, the outgoing edges that route it, and one
/// buffer with credit per output channel. Runs inside the instance's actor;
/// not thread-safe.
template <class T>
class output_router final : public output_port {
public:
  /// `batch_size` caps the records per shipped batch and the records a
  /// channel may hold without credit before the instance saturates.
  explicit output_router(size_t batch_size) : batch_size_(batch_size) {
    assert(batch_size > 0 && "batch size 0");
  }

  /// Adds an outgoing edge; its channels take the next output slots.
  void add_edge(std::unique_ptr<edge_writer<T>> edge) {
    first_slot_.push_back(channels_.size());
    channels_.resize(channels_.size() + edge->num_channels());
    edges_.push_back(std::move(edge));
  }

  /// Where the operator puts the records it produces; `route` empties it.
  std::vector<T>& staging() noexcept { return staging_; }

  /// Moves the staged records into the channel buffers.
  void route() {
    for (size_t i = 0; i < edges_.size(); ++i)
      edges_[i]->route(staging_, channels_.data() + first_slot_[i],
                       i + 1 == edges_.size());
    staging_.clear();
  }

  // -- output_port ------------------------------------------------------------

  size_t num_outputs() const override { return channels_.size(); }

  void grant(uint32_t output, uint64_t credit) override {
    assert(output < channels_.size() && "credit for unknown output");
    channels_[output].credit += credit;
    credit_ += credit;
  }

  void flush(flush_mode mode, batch_shipper& to) override {
    for (uint32_t slot = 0; slot < channels_.size(); ++slot)
      flush_channel(slot, mode, to);
  }

  void emit_latency_marker(int64_t origin_ns, batch_shipper& to) override {
    if (channels_.empty())
      return;
    auto slot = static_cast<uint32_t>(next_marker_++ % channels_.size());
    auto& ch = channels_[slot];
    ch.markers.emplace_back(ch.pending.size(), origin_ns);
    flush_channel(slot, flush_mode::full_batches, to);
  }

  void emit_barrier(const barrier_mark& mark, batch_shipper& to) override {
    for (uint32_t slot = 0; slot < channels_.size(); ++slot) {
      auto& ch = channels_[slot];
      ch.barriers.push_back(mark);
      ch.barriers.back().position = ch.pending.size();
      flush_channel(slot, flush_mode::full_batches, to);
    }
  }

  bool saturated() const override {
    return std::any_of(
      channels_.begin(), channels_.end(), [this](const channel_buffer<T>& ch) {
        return ch.pending.size() >= batch_size_ && ch.credit == 0;
      });
  }

  uint64_t buffered() const override {
    uint64_t n = 0;
    for (auto& ch : channels_)
      n += ch.pending.size();
    return n;
  }

  uint64_t credit() const override { return credit_; }

  uint64_t shipped() const override { return shipped_; }

private:
  void flush_channel(uint32_t slot, flush_mode mode, batch_shipper& to) {
    auto& ch = channels_[slot];
    // Records of `pending` shipped so far in this call. They are removed
    // once at the end: removing each batch from the front would move all
    // records behind it, again for every batch (a flat_map's output of
    // ten batches moved its records about five times over).
    size_t head = 0;
    for (;;) {
      // Barriers and markers with no records ahead of them leave at once
      // (C2, D9).
      while (!ch.barriers.empty() && ch.barriers.front().position == 0) {
        auto& b = ch.barriers.front();
        to.ship_barrier(slot, b);
        ch.barriers.pop_front();
      }
      while (!ch.markers.empty() && ch.markers.front().first == 0) {
        to.ship_latency_marker(slot, ch.markers.front().second);
        ch.markers.pop_front();
      }
      auto left = ch.pending.size() - head;
      auto ahead = ch.barriers.empty() ? left : ch.barriers.front().position;
      if (!ch.markers.empty())
        ahead = std::min(ahead, ch.markers.front().first);
      bool due = ahead > 0
                 && (mode == flush_mode::everything || !ch.barriers.empty()
                     || left >= batch_size_);
      if (!due || ch.credit == 0)
        break;
      auto n = std::min<uint64_t>({ch.credit, batch_size_, ahead});
      ch.credit -= n;
      credit_ -= n;
      shipped_ += n;
      for (auto& b : ch.barriers)
        b.position -= n;
      for (auto& m : ch.markers)
        m.first -= n;
      // Shipping all of `pending` hands over the vector itself.
      bool whole = head == 0 && n == ch.pending.size();
      to.ship(slot, record_payload::of(take(ch.pending, head, n)));
      head = whole ? 0 : head + n;
    }
    if (head == ch.pending.size())
      ch.pending.clear();
    else if (head > 0)
      ch.pending.erase(ch.pending.begin(),
                       ch.pending.begin() + static_cast<std::ptrdiff_t>(head));
    // A full batch left with its storage: room for the next one at once,
    // instead of growing it again from nothing (about ten allocations and
    // moves of a batch's worth of records each time).
    if (ch.pending.capacity() < batch_size_)
      ch.pending.reserve(batch_size_);
  }

  /// Moves out the `n` records from `first` on; the whole vector when it
  /// holds just those, so that a full batch is never copied.
  static std::vector<T> take(std::vector<T>& xs, size_t first, size_t n) {
    if (first == 0 && n == xs.size()) {
      std::vector<T> result;
      result.swap(xs);
      return result;
    }
    auto from = xs.begin() + static_cast<std::ptrdiff_t>(first);
    return std::vector<T>(
      std::make_move_iterator(from),
      std::make_move_iterator(from + static_cast<std::ptrdiff_t>(n)));
  }

  size_t batch_size_;
  std::vector<T> staging_;
  std::vector<std::unique_ptr<edge_writer<T>>> edges_;
  std::vector<size_t> first_slot_;
  std::vector<channel_buffer<T>> channels_;
  uint64_t credit_ = 0;
  uint64_t shipped_ = 0;
  uint64_t next_marker_ = 0;
};

} // namespace sluice::protocol
