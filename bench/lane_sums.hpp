#pragma once

#include <cstdint>
#include <map>
#include <utility>
#include <vector>

namespace sluice::bench {

/// The expected sum of `f(index)` over the records that a run produced.
///
/// Every pipeline of the benchmark splits its indices the way
/// `sluice::generate` does: lane `j` of `p` (a source instance, or one
/// chain of a baseline) produces indices j, j + p, j + 2p, ... So what a
/// run produced is a count per lane, and its expected sum is a sum of
/// per-lane prefix sums. Prefix sums are kept in blocks and extended on
/// demand, so the runs of a benchmark together pay for the longest lane
/// once, not for every run. Not thread-safe.
template <class F>
class lane_sums {
public:
  explicit lane_sums(F f) : f_(std::move(f)) {}

  /// Sum over lanes: `counts[j]` records of lane j of `counts.size()`.
  uint64_t operator()(const std::vector<uint64_t>& counts) {
    uint64_t sum = 0;
    auto p = static_cast<uint64_t>(counts.size());
    for (uint64_t j = 0; j < p; ++j)
      sum += lane(p, j, counts[j]);
    return sum;
  }

  /// Sum of f(j + k*p) for k < count.
  uint64_t lane(uint64_t p, uint64_t j, uint64_t count) {
    auto& prefix = blocks_[{p, j}];
    if (prefix.empty())
      prefix.push_back(0);
    auto full = count / block;
    while (prefix.size() <= full) {
      auto k0 = (prefix.size() - 1) * block;
      prefix.push_back(prefix.back() + sum(p, j, k0, k0 + block));
    }
    return prefix[full] + sum(p, j, full * block, count);
  }

private:
  static constexpr uint64_t block = uint64_t{1} << 16;

  uint64_t sum(uint64_t p, uint64_t j, uint64_t first, uint64_t last) const {
    uint64_t result = 0;
    for (auto k = first; k < last; ++k)
      result += f_(j + k * p);
    return result;
  }

  F f_;
  /// (p, j) -> sums of the first 0, 1, 2, ... blocks of the lane.
  std::map<std::pair<uint64_t, uint64_t>, std::vector<uint64_t>> blocks_;
};

} // namespace sluice::bench
