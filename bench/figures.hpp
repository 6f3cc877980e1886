#pragma once

#include "actors/checkpoint_stats.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace sluice::bench {

/// Things per second.
inline double per_second(uint64_t n, std::chrono::nanoseconds elapsed) {
  auto seconds = std::chrono::duration<double>(elapsed).count();
  return seconds > 0 ? static_cast<double>(n) / seconds : 0.0;
}

inline double median(std::vector<double> xs) {
  if (xs.empty())
    return 0;
  std::sort(xs.begin(), xs.end());
  auto n = xs.size();
  return n % 2 == 1 ? xs[n / 2] : (xs[n / 2 - 1] + xs[n / 2]) / 2;
}

inline double ratio(double x, double y) {
  return y > 0 ? x / y : 0.0;
}

inline double to_ms(std::chrono::nanoseconds x) {
  return std::chrono::duration<double, std::milli>(x).count();
}

/// The checkpoints of one run, summed up for an output line.
struct checkpoint_summary {
  size_t completed = 0;
  /// Completed before the final one: those the interval (or a request)
  /// started while the sources ran.
  size_t periodic = 0;
  size_t aborted = 0;
  size_t deltas = 0; ///< Completed deltas.
  double max_ms = 0; ///< Longest, trigger to completion.
  double mean_ms = 0;
  uint64_t max_full_bytes = 0;
  uint64_t max_delta_bytes = 0;
};

checkpoint_summary
summarize(const std::vector<actors::checkpoint_stats>& checkpoints);

/// " checkpoints=N periodic=N deltas=N aborted=N ckpt-ms-mean=X
/// ckpt-ms-max=X full-bytes=N delta-bytes=N": the tail of an output line.
std::string to_fields(const checkpoint_summary& x);

} // namespace sluice::bench
