#include "jobs/aggregate_instance.hpp"

#include "operators/record_failure.hpp"

#include <stdexcept>

namespace sluice::jobs {

aggregate_instance::aggregate_instance(
  std::unique_ptr<protocol::output_router<record>> r, config::stage_type type,
  size_t key_field, std::optional<size_t> value_field)
    : producing_instance<record>(std::move(r)), type_(type),
      key_field_(key_field), value_field_(value_field) {
  states_.add("aggregate", state_);
}

field_value aggregate_instance::first(const record& x) const {
  if (type_ == config::stage_type::count)
    return int64_t{1};
  return x.fields.at(*value_field_);
}

void aggregate_instance::update(field_value& acc, const record& x) const {
  if (type_ == config::stage_type::count) {
    ++std::get<int64_t>(acc);
    return;
  }
  auto& value = x.fields.at(*value_field_);
  switch (type_) {
  case config::stage_type::sum:
    if (auto* i = std::get_if<int64_t>(&acc)) {
      if (__builtin_add_overflow(*i, std::get<int64_t>(value), i))
        throw std::runtime_error("the sum overflows a 64-bit integer");
    } else {
      std::get<double>(acc) += std::get<double>(value);
    }
    break;
  case config::stage_type::min:
    if (value < acc)
      acc = value;
    break;
  case config::stage_type::max:
    if (acc < value)
      acc = value;
    break;
  default:
    break;
  }
}

void aggregate_instance::process(uint32_t, protocol::record_payload&& payload) {
  auto in = operators::take_records<record>(payload);
  ++batch_;
  touched_.clear();
  operators::for_each_record(in, [&](const record& x) {
    auto& key = x.fields.at(key_field_);
    auto* acc = state_.find(key);
    if (acc == nullptr)
      acc = &state_.get_or_init(key, [&] { return accumulator{first(x), 0}; });
    else
      update(acc->value, x);
    if (acc->batch != batch_) {
      acc->batch = batch_;
      touched_.emplace_back(key, acc);
    }
  });
  auto& out = this->router_->staging();
  out.reserve(out.size() + touched_.size());
  for (auto& [key, acc] : touched_)
    out.push_back(record{{std::move(key), acc->value}});
  this->router_->route();
}

} // namespace sluice::jobs
