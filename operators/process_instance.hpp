#pragma once

#include "operators/emitter.hpp"
#include "operators/producing_instance.hpp"
#include "operators/record_failure.hpp"
#include "operators/state_context.hpp"

namespace sluice::operators {

/// A user operator with state: `Setup(state_context&)` runs once per
/// instance, declares its states and returns the function
/// `Fn(const In&, emitter<Out>&)` that handles each record.
template <class In, class Out, class Setup>
class process_instance final : public producing_instance<Out> {
public:
  using function_type = std::invoke_result_t<Setup&, state_context&>;

  process_instance(std::unique_ptr<protocol::output_router<Out>> r,
                   const instance_context& ctx, Setup setup)
      : producing_instance<Out>(std::move(r)), fn_(make(ctx, setup)) {}

  void process(uint32_t, protocol::record_payload&& payload) override {
    auto in = take_records<In>(payload);
    emitter<Out> emit{this->router_->staging()};
    for_each_record(in, [&](const In& x) { fn_(x, emit); });
    this->router_->route();
  }

private:
  function_type make(const instance_context& ctx, Setup& setup) {
    // Each instance runs its own copy of the setup function.
    state_context states{this->states_, ctx};
    return setup(states);
  }

  function_type fn_;
};

} // namespace sluice::operators
