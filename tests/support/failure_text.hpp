#pragma once

#include "protocol/describe.hpp"

#include <caf/expected.hpp>

#include <string>

namespace sluice::testing {

/// The error of `x` for a test's message; empty when `x` holds a value.
/// Boost.Test builds messages even when the check passes, so a message must
/// never read the error of an expected that holds a value.
template <class T>
std::string failure_text(const caf::expected<T>& x) {
  return x ? std::string{} : protocol::describe(x.error());
}

} // namespace sluice::testing
