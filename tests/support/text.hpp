#pragma once

#include <cstddef>
#include <fstream>
#include <sstream>
#include <string>

namespace sluice::testing {

/// The whole content of the file at `path`; empty if it cannot be read.
inline std::string read_file(const std::string& path) {
  std::ifstream in{path, std::ios::binary};
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// How often `part` occurs in `text`, without overlaps.
inline size_t count_of(const std::string& text, const std::string& part) {
  size_t n = 0;
  for (auto at = text.find(part); at != std::string::npos;
       at = text.find(part, at + part.size()))
    ++n;
  return n;
}

} // namespace sluice::testing
