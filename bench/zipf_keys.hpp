#pragma once

#include "bench/record_work.hpp"

#include <cmath>
#include <cstdint>

namespace sluice::bench {

/// Keys with Zipf skew (exponent 1) over `0 .. n-1`: key k has probability
/// ln((k+2)/(k+1)) / ln(n+1), close to 1/((k+1) ln n). Drawn by inverting
/// the distribution of the continuous density 1/x on [1, n+1): one `exp`
/// per record, no table. For n = 10^6 the hottest key gets 5% of the
/// records and the coldest about one in 14 million.
class zipf_keys {
public:
  explicit zipf_keys(uint64_t n) : n_(n), log_span_(std::log(n + 1.0)) {}

  /// The key of a record whose random number is `random`.
  uint64_t operator()(uint64_t random) const noexcept {
    auto u = static_cast<double>(random >> 11) * 0x1p-53; // [0, 1)
    auto k = static_cast<uint64_t>(std::exp(u * log_span_)) - 1;
    return k < n_ ? k : n_ - 1;
  }

  uint64_t size() const noexcept { return n_; }

private:
  uint64_t n_;
  double log_span_;
};

/// What the keyed-count check expects per record: its key plus one (so that
/// key 0 counts too). The sink's latest counts, weighted by key plus one,
/// must add up to the sum of this over the records produced.
struct key_weight {
  zipf_keys keys;

  uint64_t operator()(uint64_t index) const noexcept {
    return keys(random_of(input_seed, index)) + 1;
  }
};

} // namespace sluice::bench
