#pragma once

#include "protocol/bounded_input_archive.hpp"
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

/// Appends what is written to a string, which the caller then owns: no
/// copy at the end, as `std::ostringstream::str()` makes (snapshots run to
/// megabytes).
class string_buffer : public std::streambuf {
public:
  std::string take() { return std::move(bytes_); }

protected:
  int_type overflow(int_type c) override {
    if (c != traits_type::eof())
      bytes_.push_back(static_cast<char>(c));
    return c;
  }

  std::streamsize xsputn(const char* s, std::streamsize n) override {
    bytes_.append(s, static_cast<size_t>(n));
    return n;
  }

private:
  std::string bytes_;
};

/// `xs` written with cereal's binary archive.
template <class... Ts>
std::string to_bytes(const Ts&... xs) {
  string_buffer buf;
  {
    std::ostream os{&buf};
    cereal::BinaryOutputArchive ar{os};
    ar(xs...);
  }
  return buf.take();
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
