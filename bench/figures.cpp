#include "bench/figures.hpp"

#include <cstdio>

namespace sluice::bench {

checkpoint_summary
summarize(const std::vector<actors::checkpoint_stats>& checkpoints) {
  checkpoint_summary result;
  double sum_ms = 0;
  for (auto& c : checkpoints) {
    if (!c.completed) {
      ++result.aborted;
      continue;
    }
    ++result.completed;
    if (!c.final)
      ++result.periodic;
    auto ms = to_ms(c.duration);
    sum_ms += ms;
    result.max_ms = std::max(result.max_ms, ms);
    if (c.kind == protocol::snapshot_kind::delta) {
      ++result.deltas;
      result.max_delta_bytes = std::max(result.max_delta_bytes, c.bytes);
    } else {
      result.max_full_bytes = std::max(result.max_full_bytes, c.bytes);
    }
  }
  if (result.completed > 0)
    result.mean_ms = sum_ms / static_cast<double>(result.completed);
  return result;
}

std::string to_fields(const checkpoint_summary& x) {
  char buf[256];
  std::snprintf(buf, sizeof(buf),
                " checkpoints=%zu periodic=%zu deltas=%zu aborted=%zu "
                "ckpt-ms-mean=%.1f ckpt-ms-max=%.1f full-bytes=%llu "
                "delta-bytes=%llu",
                x.completed, x.periodic, x.deltas, x.aborted, x.mean_ms,
                x.max_ms, static_cast<unsigned long long>(x.max_full_bytes),
                static_cast<unsigned long long>(x.max_delta_bytes));
  return buf;
}

} // namespace sluice::bench
