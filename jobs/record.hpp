#pragma once

#include "config/field.hpp"
#include "protocol/key_hash.hpp"

#include <cereal/types/string.hpp>
#include <cereal/types/variant.hpp>
#include <cereal/types/vector.hpp>

#include <cstring>
#include <ostream>
#include <string>
#include <vector>

namespace sluice::jobs {

using config::field_value;

/// The record every stage of a job file produces: the values of the
/// fields its stage declares (`config::stage_spec::output`), in order. One
/// runtime type for all stages, so that a graph read from a file needs no
/// code generated for it; cereal writes it when a batch leaves the process.
struct record {
  std::vector<field_value> fields;
  /// The line of the input file the record came from (records derived
  /// from it keep it), for messages about it; 0 when it came from no file.
  /// Where a record came from is not part of its value: equality ignores
  /// it.
  uint64_t line = 0;

  template <class Archive>
  void serialize(Archive& ar) {
    ar(fields, line);
  }

  friend bool operator==(const record& x, const record& y) {
    return x.fields == y.fields;
  }

  friend bool operator!=(const record& x, const record& y) { return !(x == y); }
};

/// The fields separated by tabs, text escaped (`jobs/tab_separated.hpp`):
/// how file and stdout sinks write records.
std::string to_line(const record& x);

inline std::ostream& operator<<(std::ostream& os, const record& x) {
  return os << to_line(x);
}

} // namespace sluice::jobs

namespace sluice::protocol {

/// Keys of job-file stages are field values. Stable across processes and
/// runs, as keyed state requires: text hashes its bytes, numbers their bits.
template <>
struct key_hash<config::field_value> {
  uint64_t operator()(const config::field_value& x) const {
    if (auto text = std::get_if<std::string>(&x))
      return hash_bytes(*text);
    if (auto i = std::get_if<int64_t>(&x))
      return mix64(static_cast<uint64_t>(*i));
    uint64_t bits = 0;
    auto d = std::get<double>(x);
    std::memcpy(&bits, &d, sizeof(bits));
    return mix64(bits ^ 0x9e3779b97f4a7c15ULL);
  }
};

} // namespace sluice::protocol
