#pragma once

#include "protocol/checkpoint_messages.hpp"
#include "protocol/messages.hpp"

#include <cstdint>
#include <deque>
#include <utility>
#include <variant>
#include <vector>

namespace sluice::protocol {

/// Something that arrived on an input channel, in channel order.
using input_event = std::variant<batch, barrier, latency_marker, end_of_stream>;

/// The input slot `e` arrived on.
inline uint32_t input_of(const input_event& e) {
  return std::visit([](const auto& x) { return x.input; }, e);
}

/// An operator's hold-back queue (rules H1-H3): events it cannot handle
/// yet, in arrival order. Batches wait while the outputs are saturated
/// (D4), everything of an input that alignment holds back waits (A1), and
/// whatever arrives behind those on the same input waits too, so that each
/// input's events are handled in their channel order. Runs inside the
/// operator actor; not thread-safe.
class input_holdback {
public:
  input_holdback() = default;

  explicit input_holdback(size_t inputs) : per_input_(inputs, 0) {}

  /// H1: an event of `input` must queue behind what the input holds.
  bool holds(uint32_t input) const { return per_input_[input] > 0; }

  /// H1: queues `e` behind everything held so far.
  void hold(input_event&& e) {
    ++per_input_[input_of(e)];
    held_.push_back(std::move(e));
  }

  /// H2: moves into `into` the oldest held event that may go now
  /// (`may_go(e)`) and whose input holds nothing older that must still
  /// wait; false if no event may. Call again after handling it: handling
  /// may free events seen earlier (H3).
  template <class Predicate>
  bool take_next(Predicate&& may_go, input_event& into);

  bool empty() const noexcept { return held_.empty(); }

  size_t size() const noexcept { return held_.size(); }

  /// Events `input` holds.
  uint32_t held_on(uint32_t input) const { return per_input_[input]; }

private:
  std::deque<input_event> held_;
  std::vector<uint32_t> per_input_;
  std::vector<bool> stuck_; ///< Scratch space of `take_next`.
};

template <class Predicate>
bool input_holdback::take_next(Predicate&& may_go, input_event& into) {
  stuck_.assign(per_input_.size(), false);
  for (auto i = held_.begin(); i != held_.end(); ++i) {
    auto input = input_of(*i);
    if (stuck_[input])
      continue;
    if (!may_go(std::as_const(*i))) {
      stuck_[input] = true; // keeps the input's later events behind it
      continue;
    }
    into = std::move(*i);
    held_.erase(i);
    --per_input_[input];
    return true;
  }
  return false;
}

} // namespace sluice::protocol
