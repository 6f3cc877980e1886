#pragma once

#include "actors/instance_report.hpp"
#include "actors/job_metrics.hpp"
#include "observability/job_sample.hpp"

#include <chrono>
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

namespace sluice::observability {

/// Turns a job's live counters into samples with rates and backpressured
/// shares. A rate is the growth of a counter between this sample and the
/// oldest one kept within `window`, so every reader (Prometheus, the
/// dashboard, `sluice status`) sees the same figure, however often it asks.
///
/// The backpressured share is the larger of two measures over the window:
/// - the growth of the instance's backpressured time. The engine credits a
///   saturated spell only when it ends, so a spell still open does not
///   count yet, and one that began before the window may count in full
///   (hence the clamp to 0..1);
/// - the share of the window's sampling intervals that ended with the
///   instance held back: it has shipped records before, is not finished,
///   and holds no credit. This catches an instance in front of a slow
///   consumer, which is saturated again whenever the engine looks, so its
///   spell never ends and the first measure stays at 0.
///
/// Not thread-safe: one thread samples.
class metrics_sampler {
public:
  /// Keeps the last `recent_checkpoints` checkpoints for the chart.
  metrics_sampler(const actors::job_metrics& metrics, job_graph graph,
                  std::chrono::nanoseconds window,
                  size_t recent_checkpoints = 30);

  /// Reads every counter now. `now` is passed in so that tests choose the
  /// time. The first sample has nothing to compare with: its rates are 0.
  /// `ended`: the report of a job that ended, whose record counts are final
  /// where the live ones may miss an instance's last shipment.
  job_sample sample(std::chrono::steady_clock::time_point now, bool done,
                    const actors::job_report* ended = nullptr);

private:
  /// Counters that rates are derived from, per instance.
  struct reading {
    std::chrono::steady_clock::time_point at;
    std::vector<uint64_t> in, out, backpressured_ns;
    std::vector<bool> held_back;
  };

  reading read(std::chrono::steady_clock::time_point now,
               const actors::job_report* ended) const;

  void take_checkpoints(job_sample& s);

  const actors::job_metrics& metrics_;
  job_graph graph_;
  std::chrono::nanoseconds window_;
  size_t recent_max_;
  uint64_t sequence_ = 0;
  std::deque<reading> history_; ///< Oldest first; front is the base.
  size_t checkpoints_seen_ = 0;
  checkpoint_totals totals_;
  std::deque<checkpoint_sample> recent_;
  std::vector<uint64_t> snapshots_seen_; ///< Per instance, at the last sample.
};

} // namespace sluice::observability
