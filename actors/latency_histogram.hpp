#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>

namespace sluice::actors {

/// Latencies in buckets that double from 1 microsecond up to about 18
/// minutes; recorded by any thread without locks, read by any thread.
/// Percentiles come out as the upper bound of their bucket (at most 2x
/// above the true value, never below it).
class latency_histogram {
public:
  static constexpr size_t bucket_count = 31;

  void record(std::chrono::nanoseconds latency) noexcept;

  uint64_t count() const noexcept {
    return count_.load(std::memory_order_relaxed);
  }

  /// Sum of all latencies recorded.
  std::chrono::nanoseconds sum() const noexcept {
    return std::chrono::nanoseconds{
      static_cast<int64_t>(sum_ns_.load(std::memory_order_relaxed))};
  }

  /// Mean of what was recorded; zero when empty.
  std::chrono::nanoseconds mean() const noexcept;

  /// The latency below which a share `q` (0 < q <= 1) of the records fall.
  std::chrono::nanoseconds percentile(double q) const noexcept;

  /// Upper bound of bucket `i` (bucket 0: up to 1 microsecond).
  static std::chrono::nanoseconds bucket_bound(size_t i) noexcept {
    return std::chrono::nanoseconds{int64_t{1000} << i};
  }

  uint64_t bucket(size_t i) const noexcept {
    return buckets_[i].load(std::memory_order_relaxed);
  }

private:
  std::array<std::atomic<uint64_t>, bucket_count> buckets_{};
  std::atomic<uint64_t> count_{0};
  std::atomic<uint64_t> sum_ns_{0};
};

} // namespace sluice::actors
