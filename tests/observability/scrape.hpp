#pragma once

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

/// Polls `done` until it holds or `limit` passed; whether it held. Only
/// guards against a hang: tests never assert on how long it took.
template <class Pred>
bool eventually(Pred done,
                std::chrono::seconds limit = std::chrono::seconds{60}) {
  auto until = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() > until)
      return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

} // namespace sluice::testing
