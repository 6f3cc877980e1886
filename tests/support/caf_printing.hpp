#pragma once

#include <caf/error.hpp>

#include <ostream>

// Boost.Test prints both sides of a failed comparison; CAF 0.17's error has
// `to_string` but no `operator<<`.
namespace caf {

inline std::ostream& operator<<(std::ostream& os, const error& x) {
  return os << to_string(x);
}

} // namespace caf
