#pragma once

#include "operators/producing_instance.hpp"
#include "operators/record_failure.hpp"

#include <cstddef>

namespace sluice::operators {

/// The records for which `Pred(const T&)` holds.
template <class T, class Pred>
class filter_instance final : public producing_instance<T> {
public:
  filter_instance(std::unique_ptr<protocol::output_router<T>> r, Pred pred)
      : producing_instance<T>(std::move(r)), pred_(std::move(pred)) {}

  void process(uint32_t, protocol::record_payload&& payload) override {
    auto in = take_records<T>(payload);
    auto& out = this->router_->staging();
    // The records kept move to the front of the batch's own storage, which
    // then goes on: no new batch is allocated. A record is moved only after
    // its predicate returned, so a failure names it intact.
    size_t kept = 0;
    for_each_record(in, [&](T& x) {
      if (!pred_(static_cast<const T&>(x)))
        return;
      if (&in[kept] != &x)
        in[kept] = std::move(x);
      ++kept;
    });
    in.erase(in.begin() + static_cast<std::ptrdiff_t>(kept), in.end());
    protocol::append_records(in, out, true);
    this->router_->route();
  }

private:
  Pred pred_;
};

} // namespace sluice::operators
