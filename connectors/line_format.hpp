#pragma once

#include "config/instance_path.hpp"
#include "operators/record_failure.hpp"

#include <sstream>
#include <string>
#include <utility>

namespace sluice::connectors {

/// A record as one line of text (without the line break): strings as they
/// are, pairs as "first<TAB>second", others through `operator<<`.
template <class T>
void append_line(std::string& out, const T& x) {
  if constexpr (std::is_same_v<T, std::string>) {
    out += x;
  } else if constexpr (operators::is_pair<T>::value) {
    append_line(out, x.first);
    out += '\t';
    append_line(out, x.second);
  } else if constexpr (std::is_arithmetic_v<T>) {
    out += std::to_string(x);
  } else {
    static_assert(operators::is_printable<T>::value,
                  "records written as lines need an operator<<");
    std::ostringstream os;
    os << x;
    out += os.str();
  }
}

using config::instance_path;

} // namespace sluice::connectors
