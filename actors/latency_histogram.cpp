#include "actors/latency_histogram.hpp"

namespace sluice::actors {

void latency_histogram::record(std::chrono::nanoseconds latency) noexcept {
  auto ns = latency.count() < 0 ? uint64_t{0}
                                : static_cast<uint64_t>(latency.count());
  size_t i = 0;
  while (i + 1 < bucket_count && ns > (uint64_t{1000} << i))
    ++i;
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
  sum_ns_.fetch_add(ns, std::memory_order_relaxed);
}

std::chrono::nanoseconds latency_histogram::mean() const noexcept {
  auto n = count();
  return std::chrono::nanoseconds{
    n == 0 ? 0
           : static_cast<int64_t>(sum_ns_.load(std::memory_order_relaxed) / n)};
}

std::chrono::nanoseconds
latency_histogram::percentile(double q) const noexcept {
  auto n = count();
  if (n == 0)
    return std::chrono::nanoseconds{0};
  auto rank = static_cast<uint64_t>(q * static_cast<double>(n));
  if (rank == 0)
    rank = 1;
  uint64_t seen = 0;
  for (size_t i = 0; i < bucket_count; ++i) {
    seen += bucket(i);
    if (seen >= rank)
      return bucket_bound(i);
  }
  return bucket_bound(bucket_count - 1);
}

} // namespace sluice::actors
