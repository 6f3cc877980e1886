#include "bench/latency_recorder.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace sluice::bench {

void latency_recorder::merge(const latency_recorder& other) noexcept {
  for (size_t i = 0; i < bucket_count; ++i)
    buckets_[i] += other.buckets_[i];
  count_ += other.count_;
  max_ = std::max(max_, other.max_);
}

uint64_t latency_recorder::lower_bound_of(size_t i) noexcept {
  if (i < linear)
    return i;
  if (i >= bucket_count)
    return std::numeric_limits<uint64_t>::max();
  auto k = i - linear;
  auto e = static_cast<unsigned>(k >> sub_bits) + sub_bits + 1;
  auto sub = static_cast<uint64_t>(k & ((size_t{1} << sub_bits) - 1));
  return (uint64_t{1} << e) + (sub << (e - sub_bits));
}

uint64_t latency_recorder::percentile(double q) const noexcept {
  if (count_ == 0)
    return 0;
  auto rank = static_cast<uint64_t>(std::ceil(q * static_cast<double>(count_)));
  rank = std::clamp<uint64_t>(rank, 1, count_);
  uint64_t seen = 0;
  for (size_t i = 0; i < bucket_count; ++i) {
    seen += buckets_[i];
    if (seen >= rank) {
      if (i < linear)
        return i;
      auto lo = lower_bound_of(i);
      auto hi = lower_bound_of(i + 1);
      return std::min(lo + (hi - lo) / 2, max_);
    }
  }
  return max_;
}

} // namespace sluice::bench
