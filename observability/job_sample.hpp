#pragma once

#include "actors/checkpoint_stats.hpp"
#include "actors/job_metrics.hpp"
#include "observability/job_graph.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sluice::observability {

/// One instance's figures at a sample, with what was derived from the
/// samples before it.
struct instance_sample {
  std::string stage;
  uint32_t instance = 0;
  uint64_t budget = 0; ///< Records it may hold waiting.
  uint64_t records_in = 0;
  uint64_t records_out = 0;
  /// Dropped on purpose (`on-error = skip`).
  uint64_t records_skipped = 0;
  uint64_t batches_in = 0;
  uint64_t mailbox = 0; ///< Messages queued.
  uint64_t waiting = 0; ///< Records waiting, of `budget`.
  uint64_t credit_held = 0;
  uint64_t credit_granted = 0;
  std::chrono::nanoseconds backpressured{0}; ///< Since it started.
  std::chrono::nanoseconds alignment{0};     ///< Sum over its snapshots.
  std::chrono::nanoseconds last_alignment{0};
  uint64_t snapshots = 0;
  bool finished = false;
  // -- derived over the sampler's window --------------------------------------
  double rate_in = 0;  ///< Records per second.
  double rate_out = 0; ///< Records per second.
  /// Share of the window it spent saturated (output full, no credit), 0..1.
  double backpressured_share = 0;
};

/// A checkpoint as the dashboard lists it.
struct checkpoint_sample {
  actors::checkpoint_stats stats;
  /// The longest alignment of any instance, as sampled; unknown when the
  /// sampler saw several checkpoints complete at once.
  std::optional<std::chrono::nanoseconds> alignment;
};

/// Upper bounds of the checkpoint duration histogram, in seconds.
inline const std::vector<double>& checkpoint_duration_bounds() {
  static const std::vector<double> bounds{0.01, 0.05, 0.1, 0.25, 0.5,
                                          1,    2.5,  5,   10,   30};
  return bounds;
}

/// Totals over every checkpoint of the job so far.
struct checkpoint_totals {
  uint64_t completed = 0;
  uint64_t aborted = 0;
  uint64_t full = 0;  ///< Completed with full snapshots.
  uint64_t delta = 0; ///< Completed with incremental snapshots.
  uint64_t bytes = 0; ///< Over the completed ones.
  std::chrono::nanoseconds duration{0}; ///< Over the completed ones.
  /// Completed checkpoints by duration, cumulative, one per bound of
  /// `checkpoint_duration_bounds`.
  std::vector<uint64_t> duration_buckets
    = std::vector<uint64_t>(checkpoint_duration_bounds().size());
};

/// End-to-end latency (source to sink), from the job's histogram.
struct latency_sample {
  uint64_t count = 0;
  std::chrono::nanoseconds mean{0};
  std::chrono::nanoseconds p50{0};
  std::chrono::nanoseconds p90{0};
  std::chrono::nanoseconds p99{0};
  std::chrono::nanoseconds p999{0};
};

/// A node the job watches (`[nodes]`).
struct node_sample {
  std::string name;
  std::string address; ///< "HOST:PORT".
  bool up = false;
  uint64_t joins = 0;
  uint64_t losses = 0;
};

/// Everything a metrics server shows about one job at one moment.
struct job_sample {
  std::string job;
  job_graph graph;
  uint64_t sequence = 0; ///< Samples taken before and including this one.
  std::chrono::nanoseconds uptime{0}; ///< Since the job started.
  std::chrono::nanoseconds window{0}; ///< What rates and shares cover.
  bool done = false;                  ///< The job ended.
  std::vector<instance_sample> instances;
  checkpoint_totals checkpoint_total;
  std::vector<checkpoint_sample> checkpoints; ///< The latest, oldest first.
  /// The checkpoint interval in force and why (CI1-CI9).
  actors::checkpoint_interval_figures checkpoint_interval;
  std::vector<actors::recovery_stats> recoveries;
  std::vector<node_sample> nodes;
  latency_sample latency;
};

} // namespace sluice::observability
