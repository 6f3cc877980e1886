#pragma once

#include "operators/producing_instance.hpp"
#include "operators/record_failure.hpp"
#include "state/keyed_value_state.hpp"

#include <type_traits>
#include <vector>

namespace sluice::operators {

/// Per-key running aggregate over a keyed stream: for each record,
/// `Update(Acc&, const In&)` folds it into its key's accumulator (created by
/// `Init(const In&)` for a new key). After each batch, one record
/// `Emit(const K&, const Acc&)` leaves per key the batch touched: a changelog
/// whose latest record per key is the current result.
template <class In, class Out, class KeyFn, class Acc, class Init, class Update,
          class Emit>
class keyed_aggregate_instance final : public producing_instance<Out> {
public:
  using key_type = std::decay_t<std::invoke_result_t<KeyFn, const In&>>;

  keyed_aggregate_instance(std::unique_ptr<protocol::output_router<Out>> r,
                           KeyFn key, Init init, Update update, Emit emit)
      : producing_instance<Out>(std::move(r)), key_(std::move(key)),
        init_(std::move(init)), update_(std::move(update)),
        emit_(std::move(emit)) {
    this->states_.add("aggregate", state_);
  }

  void process(uint32_t, protocol::record_payload&& payload) override {
    auto in = take_records<In>(payload);
    ++batch_;
    touched_.clear();
    for_each_record(in, [&](const In& x) {
      auto k = key_(x);
      auto* e = state_.find(k);
      if (e == nullptr) {
        e = &state_.get_or_init(k, [&] { return entry{init_(x), 0}; });
      } else {
        update_(e->acc, x);
      }
      if (e->batch != batch_) {
        e->batch = batch_;
        touched_.emplace_back(std::move(k), e);
      }
    });
    auto& out = this->router_->staging();
    out.reserve(out.size() + touched_.size());
    for (auto& [k, e] : touched_)
      out.push_back(emit_(k, e->acc));
    this->router_->route();
  }

private:
  struct entry {
    Acc acc{};
    uint64_t batch = 0; ///< Last batch that touched the key; not stored.

    template <class Archive>
    void serialize(Archive& ar) {
      ar(acc);
    }
  };

  KeyFn key_;
  Init init_;
  Update update_;
  Emit emit_;
  state::keyed_value_state<key_type, entry> state_;
  // Entries stay put when the map rehashes, so pointers are safe here.
  std::vector<std::pair<key_type, entry*>> touched_;
  uint64_t batch_ = 0;
};

} // namespace sluice::operators
