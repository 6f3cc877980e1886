#pragma once

#include "actors/ingress_endpoint.hpp"
#include "operators/operator_instance.hpp"
#include "protocol/output_router.hpp"
#include "state/state_registry.hpp"

#include <caf/message.hpp>

#include <deque>
#include <memory>
#include <vector>

namespace sluice::actors {

/// The untyped face of a source fed by application actors, for the source
/// actor that hosts it.
class ingress_logic {
public:
  virtual ~ingress_logic() = default;

  virtual ingress_endpoint& endpoint() noexcept = 0;

  /// Records in a message `(ingress_header, std::vector<T>)`; 0 when the
  /// second element is not a vector of this stage's records.
  virtual uint64_t count(const caf::message& msg) const = 0;

  /// Queues the `fresh` records after the first `skip` of the message.
  virtual void enqueue(const protocol::ingress_header& h, caf::message& msg,
                       uint64_t skip)
    = 0;
};

/// A source whose records come from application actors (rules I1-I6): a
/// queue of what producers sent, emptied into the dataflow as credit
/// allows. Its offset is the number of records it emitted.
template <class T>
class ingress_instance final : public operators::source_instance,
                               public ingress_logic {
public:
  ingress_instance(std::unique_ptr<protocol::output_router<T>> r,
                   uint64_t budget)
      : router_(std::move(r)), endpoint_(budget) {
    states_.add("producers", endpoint_.positions());
  }

  // -- source_instance --------------------------------------------------------

  operators::pull_result pull(uint64_t max_records) override {
    auto& out = router_->staging();
    uint64_t n = 0;
    while (n < max_records && !queue_.empty()) {
      auto& c = queue_.front();
      auto k = std::min<uint64_t>(max_records - n, c.records.size() - c.taken);
      for (uint64_t i = 0; i < k; ++i)
        out.push_back(std::move(c.records[c.taken + i]));
      c.taken += k;
      n += k;
      endpoint_.emitted(c.producer, c.first_seq + c.taken, k);
      if (c.taken == c.records.size())
        queue_.pop_front();
    }
    offset_ += n;
    router_->route();
    return {n,
            queue_.empty() ? operators::pull_status::idle
                           : operators::pull_status::more,
            {}};
  }

  uint64_t offset() const override { return offset_; }

  void seek(uint64_t offset) override { offset_ = offset; }

  protocol::output_port& output() noexcept override { return *router_; }

  state::state_registry* states() noexcept override { return &states_; }

  // -- ingress_logic ----------------------------------------------------------

  ingress_endpoint& endpoint() noexcept override { return endpoint_; }

  uint64_t count(const caf::message& msg) const override {
    if (msg.size() != 2 || !msg.match_element<std::vector<T>>(1))
      return 0;
    return msg.get_as<std::vector<T>>(1).size();
  }

  void enqueue(const protocol::ingress_header& h, caf::message& msg,
               uint64_t skip) override {
    auto& xs = msg.get_mutable_as<std::vector<T>>(1);
    if (skip >= xs.size())
      return;
    chunk c{h.producer, h.first_seq + skip, {}, 0};
    c.records.assign(std::make_move_iterator(xs.begin() + skip),
                     std::make_move_iterator(xs.end()));
    queue_.push_back(std::move(c));
  }

private:
  struct chunk {
    uint64_t producer;
    uint64_t first_seq;
    std::vector<T> records;
    size_t taken;
  };

  std::unique_ptr<protocol::output_router<T>> router_;
  ingress_endpoint endpoint_;
  state::state_registry states_;
  std::deque<chunk> queue_;
  uint64_t offset_ = 0;
};

} // namespace sluice::actors
