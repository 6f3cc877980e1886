#pragma once

#include "protocol/bounded_input_archive.hpp"
#include "protocol/string_output_archive.hpp"
#include "state/errc.hpp"

#include <caf/error.hpp>

#include <cereal/archives/binary.hpp>
#include <cereal/types/map.hpp>
#include <cereal/types/optional.hpp>
#include <cereal/types/string.hpp>
#include <cereal/types/tuple.hpp>
#include <cereal/types/unordered_map.hpp>
#include <cereal/types/utility.hpp>
#include <cereal/types/vector.hpp>

#include <string>
#include <string_view>

namespace sluice::state {

/// `xs` written in cereal's binary format.
template <class... Ts>
std::string to_bytes(const Ts&... xs) {
  std::string bytes;
  {
    protocol::string_output_archive ar{bytes};
    ar(xs...);
  }
  return bytes;
}

/// Reads `xs` from `bytes`; cereal's exceptions (a truncated or damaged
/// archive, a count the bytes cannot hold) become `errc::corrupt_snapshot`
/// naming `what`.
template <class... Ts>
caf::error from_bytes(std::string_view bytes, const std::string& what,
                      Ts&... xs) {
  try {
    protocol::bounded_input_archive ar{bytes};
    ar(xs...);
  } catch (const std::exception& e) {
    return caf::make_error(errc::corrupt_snapshot,
                           "cannot decode " + what + ": " + e.what());
  }
  return caf::none;
}

} // namespace sluice::state
