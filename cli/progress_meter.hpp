#pragma once

#include "actors/job_metrics.hpp"

#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

namespace sluice::cli {

/// Samples a running job's live figures for the progress line: records
/// the sources produced (in), records the sinks received (out), the rate
/// of records in over the last seconds, and the last completed checkpoint.
class progress_meter {
public:
  using clock = std::chrono::steady_clock;

  progress_meter(const actors::job_metrics& metrics,
                 std::vector<std::string> sources,
                 std::vector<std::string> sinks, bool checkpointing);

  /// Reads the figures now. The rate comes from the samples of the last
  /// few seconds; the first sample is only a baseline, because a resumed
  /// source starts counting at its restored position.
  void sample();

  /// The latest sample, as one line without a line break: "12000 in,
  /// 11980 out, 4000 records/s, checkpoint 5 (2s ago)".
  std::string line() const;

private:
  struct reading {
    clock::time_point time;
    uint64_t in = 0;
    uint64_t out = 0;
  };

  uint64_t sum(const std::vector<std::string>& stages) const;

  const actors::job_metrics& metrics_;
  std::vector<std::string> sources_;
  std::vector<std::string> sinks_;
  bool checkpointing_;
  std::deque<reading> window_;
  std::optional<uint64_t> checkpoint_;
  /// When this meter first saw `checkpoint_` completed.
  clock::time_point checkpoint_seen_;
};

} // namespace sluice::cli
