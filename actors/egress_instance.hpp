#pragma once

#include "operators/instance_context.hpp"
#include "operators/operator_instance.hpp"
#include "operators/record_failure.hpp"
#include "protocol/egress_messages.hpp"
#include "state/operator_value_state.hpp"

#include <caf/actor.hpp>
#include <caf/event_based_actor.hpp>

#include <cereal/types/deque.hpp>
#include <cereal/types/map.hpp>
#include <cereal/types/vector.hpp>

#include <deque>
#include <map>
#include <vector>

namespace sluice::actors {

/// The untyped face of a sink that hands its records to an application
/// actor, for the operator actor that hosts it.
class egress_logic {
public:
  virtual ~egress_logic() = default;

  /// The hosting actor, through which the instance talks to the consumer.
  virtual void bind(caf::event_based_actor* self) = 0;

  /// E2: the consumer granted `credit` more records.
  virtual void on_demand(uint64_t credit) = 0;

  /// True while it holds as many records as it may: the actor stops
  /// consuming, and pressure travels upstream.
  virtual bool saturated() const = 0;
};

/// What an egress instance keeps in checkpoints: staged epochs (E3, not yet
/// committed), committed records not yet delivered, and the sequence number
/// of the next record to deliver.
template <class T>
struct egress_store {
  std::map<uint64_t, std::vector<T>> staged;
  std::deque<T> released;
  uint64_t next_seq = 0;

  template <class Archive>
  void serialize(Archive& ar) {
    ar(staged, released, next_seq);
  }
};

/// A sink delivering records to an application actor (rules E1-E4): in
/// batches the consumer asked for, with checkpoints only once their
/// checkpoint completed, numbered so that a consumer can drop what a
/// restart delivers again.
template <class T>
class egress_instance final : public operators::operator_instance,
                              public egress_logic {
public:
  egress_instance(caf::actor consumer, const operators::instance_context& ctx,
                  uint64_t capacity)
      : consumer_(std::move(consumer)), instance_(ctx.instance),
        batch_size_(ctx.batch_size), checkpointing_(ctx.checkpointing),
        capacity_(capacity) {
    states_.add("egress", store_);
  }

  // -- egress_logic -----------------------------------------------------------

  void bind(caf::event_based_actor* self) override { self_ = self; }

  void on_demand(uint64_t credit) override {
    credit_ += credit;
    deliver();
  }

  /// Saturated by records the consumer has not asked for. Records of an
  /// epoch whose checkpoint is still to complete do not count: stopping to
  /// consume would hold back the barrier that commits them, and nothing
  /// would ever be released. They are bounded by what arrives within one
  /// checkpoint interval.
  bool saturated() const override {
    return store_.value().released.size() >= capacity_;
  }

  // -- operator_instance ------------------------------------------------------

  void open(const std::optional<operators::restored_from>& restored) override {
    // E1: a (re)started instance introduces itself; credit starts over.
    self_->send(consumer_, protocol::egress_hello{instance_, self_});
    if (restored) // what the restored checkpoint covers goes out (again)
      commit(restored->id);
  }

  void process(uint32_t, protocol::record_payload&& payload) override {
    auto xs = operators::take_records<T>(payload);
    open_.insert(open_.end(), std::make_move_iterator(xs.begin()),
                 std::make_move_iterator(xs.end()));
    // Without checkpoints nothing waits for a commit.
    if (!checkpointing_)
      release_open();
  }

  std::optional<std::string> pre_commit(protocol::checkpoint_id id) override {
    if (!open_.empty()) {
      store_.value().staged[protocol::to_integer(id)] = std::move(open_);
      open_.clear();
    }
    return std::nullopt;
  }

  void commit(protocol::checkpoint_id id) override {
    auto& s = store_.value();
    for (auto i = s.staged.begin();
         i != s.staged.end() && i->first <= protocol::to_integer(id);
         i = s.staged.erase(i))
      s.released.insert(s.released.end(),
                        std::make_move_iterator(i->second.begin()),
                        std::make_move_iterator(i->second.end()));
    deliver();
  }

  void finish() override {
    if (!checkpointing_)
      release_open();
    deliver();
  }

  /// E4: everything was delivered and the last checkpoint committed:
  /// nothing more comes from this instance. Not at `finish`: the final
  /// checkpoint may still fail, and its restart deliver again.
  void close() override {
    self_->send(consumer_, protocol::egress_end{instance_});
  }

  bool drained() const override { return held() == 0; }

  protocol::output_port* output() noexcept override { return nullptr; }

private:
  void release_open() {
    auto& s = store_.value();
    s.released.insert(s.released.end(), std::make_move_iterator(open_.begin()),
                      std::make_move_iterator(open_.end()));
    open_.clear();
    deliver();
  }

  uint64_t held() const {
    auto& s = store_.value();
    uint64_t n = open_.size() + s.released.size();
    for (auto& [id, xs] : s.staged)
      n += xs.size();
    return n;
  }

  /// E2, E3: as many records as the consumer asked for, in order.
  void deliver() {
    auto& s = store_.value();
    while (credit_ > 0 && !s.released.empty()) {
      auto k = std::min<uint64_t>({credit_, batch_size_, s.released.size()});
      std::vector<T> xs(std::make_move_iterator(s.released.begin()),
                        std::make_move_iterator(s.released.begin() + k));
      s.released.erase(s.released.begin(), s.released.begin() + k);
      self_->send(consumer_, protocol::egress_header{instance_, s.next_seq},
                  std::move(xs));
      s.next_seq += k;
      credit_ -= k;
    }
  }

  caf::actor consumer_;
  uint32_t instance_;
  uint64_t batch_size_;
  bool checkpointing_;
  uint64_t capacity_;
  caf::event_based_actor* self_ = nullptr;
  state::operator_value_state<egress_store<T>> store_;
  std::vector<T> open_; ///< The epoch since the last barrier.
  uint64_t credit_ = 0;
};

} // namespace sluice::actors
