#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <vector>

namespace sluice::testing {

/// Counts how often each index appears; every index below each source
/// instance's end must appear once (p instances, index % p picks it).
struct coverage {
  std::map<uint64_t, uint64_t> seen;
  uint64_t duplicates = 0;

  explicit coverage(const std::vector<uint64_t>& xs) {
    for (auto x : xs)
      if (++seen[x] > 1)
        ++duplicates;
  }

  /// Indices missing below the highest one seen, per instance.
  uint64_t gaps(uint32_t p) const {
    std::vector<uint64_t> top(p, 0);
    for (auto& [x, n] : seen)
      top[x % p] = std::max(top[x % p], x);
    uint64_t missing = 0;
    for (uint32_t i = 0; i < p; ++i)
      for (uint64_t x = i; x < top[i]; x += p)
        if (seen.count(x) == 0)
          ++missing;
    return missing;
  }
};

} // namespace sluice::testing
