#pragma once

#include "operators/emitter.hpp"
#include "operators/producing_instance.hpp"
#include "operators/record_failure.hpp"

namespace sluice::operators {

/// Any number of output records per input record:
/// `Fn(const In&, emitter<Out>&)`.
template <class In, class Out, class Fn>
class flat_map_instance final : public producing_instance<Out> {
public:
  flat_map_instance(std::unique_ptr<protocol::output_router<Out>> r, Fn fn)
      : producing_instance<Out>(std::move(r)), fn_(std::move(fn)) {}

  void process(uint32_t, protocol::record_payload&& payload) override {
    auto in = take_records<In>(payload);
    emitter<Out> emit{this->router_->staging(), &skips_};
    for_each_record(in, [&](const In& x) { fn_(x, emit); });
    this->router_->route();
  }

  skip_tally* skips() noexcept override { return &skips_; }

private:
  Fn fn_;
  skip_tally skips_;
};

} // namespace sluice::operators
