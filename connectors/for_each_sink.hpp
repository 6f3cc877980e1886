#pragma once

#include "operators/instance_context.hpp"
#include "operators/operator_instance.hpp"
#include "operators/record_failure.hpp"

#include <memory>

namespace sluice::connectors {

/// A sink that calls `Fn(const T&)` for every record. The function is
/// copied into each instance; instances call it from their own actors.
template <class T, class Fn>
struct for_each {
  using record_type = T;

  Fn fn;

  std::unique_ptr<operators::operator_instance>
  make_instance(const operators::instance_context&) const;
};

template <class T, class Fn>
class for_each_instance final : public operators::operator_instance {
public:
  explicit for_each_instance(Fn fn) : fn_(std::move(fn)) {}

  void process(uint32_t, protocol::record_payload&& payload) override {
    auto records = operators::take_records<T>(payload);
    operators::for_each_record(records, [this](const T& x) { fn_(x); });
  }

  protocol::output_port* output() noexcept override { return nullptr; }

private:
  Fn fn_;
};

template <class T, class Fn>
std::unique_ptr<operators::operator_instance>
for_each<T, Fn>::make_instance(const operators::instance_context&) const {
  return std::make_unique<for_each_instance<T, Fn>>(fn);
}

} // namespace sluice::connectors
