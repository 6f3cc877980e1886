#pragma once

#include "tests/support/eventually.hpp"

#include <chrono>
#include <cstdlib>
#include <sstream>
#include <string>
#include <thread>

namespace sluice::testing {

/// Sum of the samples of `name` (the exact family or sample name) whose
/// labels include every `key="value"` in `labels`, e.g.
/// `scrape_sum(text, "sluice_records_in_total", {"stage=\"map\""})`.
inline double scrape_sum(const std::string& text, const std::string& name,
                         std::initializer_list<std::string> labels = {}) {
  std::istringstream in{text};
  std::string line;
  double sum = 0;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#')
      continue;
    auto brace = line.find('{');
    if (line.compare(0, brace, name) != 0 || brace != name.size())
      continue;
    auto close = line.rfind('}');
    auto set = line.substr(brace + 1, close - brace - 1);
    bool all = true;
    for (auto& l : labels)
      all = all && ("," + set + ",").find("," + l + ",") != std::string::npos;
    if (all)
      sum += std::strtod(line.c_str() + close + 2, nullptr);
  }
  return sum;
}

} // namespace sluice::testing
