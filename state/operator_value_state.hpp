#pragma once

#include "state/checkpointed_state.hpp"

namespace sluice::state {

/// One value per instance, not per key (a counter, a buffer, a watermark).
/// Every image holds all of it: keep it small.
template <class T>
class operator_value_state final : public checkpointed_state {
public:
  T& value() noexcept { return value_; }

  const T& value() const noexcept { return value_; }

  std::unique_ptr<section_image> take_image(const std::string& name,
                                            protocol::snapshot_kind) override {
    // Always whole: a delta of one value is the value.
    return std::make_unique<copied_image<T>>(
      name, protocol::snapshot_kind::full, value_);
  }

  caf::error apply(const state_section& section,
                   const std::string& what) override {
    T restored{};
    if (auto err = from_bytes(section.bytes, what, restored))
      return err;
    value_ = std::move(restored);
    return caf::none;
  }

private:
  T value_{};
};

} // namespace sluice::state
