#pragma once

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

#include <istream>
#include <sstream>
#include <streambuf>
#include <string>
#include <string_view>

namespace sluice::state {

/// Reads from memory without copying it into a string stream.
class memory_buffer : public std::streambuf {
public:
  explicit memory_buffer(std::string_view bytes) {
    auto p = const_cast<char*>(bytes.data());
    setg(p, p, p + bytes.size());
  }
};

/// `xs` written with cereal's binary archive.
template <class... Ts>
std::string to_bytes(const Ts&... xs) {
  std::ostringstream os;
  {
    cereal::BinaryOutputArchive ar{os};
    ar(xs...);
  }
  return std::move(os).str();
}

/// Reads `xs` from `bytes`; cereal's exceptions (a truncated or damaged
/// archive) become `errc::corrupt_snapshot` naming `what`.
template <class... Ts>
caf::error from_bytes(std::string_view bytes, const std::string& what,
                      Ts&... xs) {
  memory_buffer buf{bytes};
  std::istream is{&buf};
  try {
    cereal::BinaryInputArchive ar{is};
    ar(xs...);
  } catch (const std::exception& e) {
    return caf::make_error(errc::corrupt_snapshot,
                           "cannot decode " + what + ": " + e.what());
  }
  return caf::none;
}

} // namespace sluice::state
