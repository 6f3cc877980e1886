#pragma once

#include <chrono>

namespace sluice::testing {

/// `x` in milliseconds: Boost.Test prints doubles, not durations.
inline double ms(std::chrono::nanoseconds x) {
  return std::chrono::duration<double, std::milli>(x).count();
}

} // namespace sluice::testing
