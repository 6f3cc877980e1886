#pragma once

#include "config/checkpoint_settings.hpp"
#include "config/cluster_settings.hpp"
#include "config/fault_settings.hpp"
#include "config/log_settings.hpp"
#include "config/metrics_settings.hpp"
#include "config/restart_settings.hpp"
#include "config/scheduler_settings.hpp"

#include <chrono>
#include <cstdint>

namespace sluice::config {

/// Settings every stage of a job inherits unless it overrides them.
struct engine_settings {
  /// Instances per stage, unless the stage sets its own.
  uint32_t parallelism = 1;
  /// Records per batch: a batch leaves when full (rule D3).
  uint32_t batch_size = 1024;
  /// How long a partial batch may wait for more records before it leaves,
  /// so that latency stays bounded at low rates.
  std::chrono::nanoseconds batch_linger = std::chrono::milliseconds{5};
  /// Records an instance may hold waiting in its mailbox and buffers, over
  /// all its inputs (rule D4). Shares of at least two batches per channel
  /// keep the channel busy while the consumer works.
  uint64_t max_buffered_records = 16384;
  /// How often each source sends a latency marker through the job; sinks
  /// record how old it is. Zero: no latency measurement.
  std::chrono::nanoseconds latency_interval{std::chrono::milliseconds{200}};
  /// Key groups of the job: the largest parallelism a keyed stage can have
  /// (rule D8). Fixed for the life of a job's state.
  uint32_t key_groups = 128;
  /// Consistent checkpoints of the job's state; off by default.
  checkpoint_settings checkpoints;
  /// The job's event log.
  log_settings log;
  /// Recovery from failed instances.
  restart_settings restarts;
  /// Faults injected for tests and drills; none by default.
  fault_settings faults;
  /// The scheduler of a process that runs jobs from job files; unused by
  /// embedded jobs, which run on their host's actor system.
  scheduler_settings scheduler;
  /// The metrics endpoint of a process that runs jobs from job files.
  metrics_settings metrics;
  /// The nodes a job watches, and how it reaches and trusts them.
  cluster_settings cluster;
};

} // namespace sluice::config
