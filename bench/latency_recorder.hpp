#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace sluice::bench {

/// Latencies in nanoseconds, in log-linear buckets: exact below 64 ns, then
/// 32 buckets per doubling, so a percentile is within 3% of the truth. One
/// recorder per thread or actor; merge them at the end.
class latency_recorder {
public:
  void add(uint64_t ns) noexcept {
    ++buckets_[bucket_of(ns)];
    ++count_;
    if (ns > max_)
      max_ = ns;
  }

  void merge(const latency_recorder& other) noexcept;

  uint64_t count() const noexcept { return count_; }

  uint64_t max() const noexcept { return max_; }

  /// The latency below which a share `q` (0 < q <= 1) of the records fall:
  /// the middle of its bucket, never above the largest seen. 0 when empty.
  uint64_t percentile(double q) const noexcept;

private:
  static constexpr unsigned sub_bits = 5;            // 32 buckets per doubling
  static constexpr unsigned linear = 2u << sub_bits; // exact below this
  static constexpr size_t bucket_count
    = linear + (64 - sub_bits - 1) * (size_t{1} << sub_bits);

  static size_t bucket_of(uint64_t ns) noexcept {
    if (ns < linear)
      return static_cast<size_t>(ns);
    auto e = static_cast<unsigned>(63 - __builtin_clzll(ns)); // >= sub_bits+1
    auto sub = (ns >> (e - sub_bits)) & ((uint64_t{1} << sub_bits) - 1);
    return linear + (e - sub_bits - 1) * (size_t{1} << sub_bits)
           + static_cast<size_t>(sub);
  }

  /// Smallest value of bucket `i`, and the first of the next one.
  static uint64_t lower_bound_of(size_t i) noexcept;

  std::array<uint64_t, bucket_count> buckets_{};
  uint64_t count_ = 0;
  uint64_t max_ = 0;
};

} // namespace sluice::bench
