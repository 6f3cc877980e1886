#pragma once

#include "operators/producing_instance.hpp"
#include "operators/record_failure.hpp"

namespace sluice::operators {

/// The records of all inputs, as they come: batches pass through whole.
template <class T>
class union_instance final : public producing_instance<T> {
public:
  explicit union_instance(std::unique_ptr<protocol::output_router<T>> r)
      : producing_instance<T>(std::move(r)) {}

  void process(uint32_t, protocol::record_payload&& payload) override {
    auto in = take_records<T>(payload);
    protocol::append_records(in, this->router_->staging(), true);
    this->router_->route();
  }
};

} // namespace sluice::operators
