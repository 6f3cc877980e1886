#pragma once

#include "operators/producing_instance.hpp"
#include "operators/record_failure.hpp"

#include <type_traits>

namespace sluice::operators {

/// One output record per input record: `Fn(const In&) -> Out`.
template <class In, class Out, class Fn>
class map_instance final : public producing_instance<Out> {
public:
  map_instance(std::unique_ptr<protocol::output_router<Out>> r, Fn fn)
      : producing_instance<Out>(std::move(r)), fn_(std::move(fn)) {}

  void process(uint32_t, protocol::record_payload&& payload) override {
    auto in = take_records<In>(payload);
    auto& out = this->router_->staging();
    if constexpr (std::is_same_v<In, Out>) {
      // Each result replaces its record in the batch's own storage, which
      // then goes on: no new batch is allocated, and the records stay in
      // the cache lines that the consumer reads next.
      for_each_record(in, [&](In& x) { x = fn_(static_cast<const In&>(x)); });
      protocol::append_records(in, out, true);
      this->router_->route();
      return;
    }
    out.reserve(out.size() + in.size());
    for_each_record(in, [&](const In& x) { out.push_back(fn_(x)); });
    this->router_->route();
  }

private:
  Fn fn_;
};

} // namespace sluice::operators
