#pragma once

#include "actors/checkpoint_stats.hpp"
#include "actors/latency_histogram.hpp"
#include "actors/recovery_stats.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace sluice::actors {

/// Live figures of one instance. Written by the instance's actor once per
/// message it handles (never per record), read by anyone at any time
/// (progress lines, the metrics endpoint).
struct instance_metrics {
  instance_metrics(std::string stage_name, uint32_t index, uint64_t budget_)
      : stage(std::move(stage_name)), instance(index), budget(budget_) {}

  const std::string stage;
  const uint32_t instance;
  const uint64_t budget;

  std::atomic<uint64_t> records_in{0};  ///< Arrived (sources: produced).
  std::atomic<uint64_t> records_out{0}; ///< Shipped downstream.
  /// Dropped on purpose (`on-error = skip`), since the instance started.
  std::atomic<uint64_t> records_skipped{0};
  std::atomic<uint64_t> batches_in{0};
  std::atomic<uint64_t> mailbox{0};     ///< Messages queued, last seen.
  std::atomic<uint64_t> waiting{0};     ///< Records waiting, last seen.
  std::atomic<uint64_t> credit_held{0}; ///< Credit for its outputs.
  std::atomic<uint64_t> credit_granted{
    0}; ///< Granted to its producers, not yet used.
  /// Time spent saturated: output full and no credit, so not consuming.
  std::atomic<uint64_t> backpressured_ns{0};
  /// Saturated when it last handled a message (a source: stopped reading).
  /// Stored last, with release: whoever reads it with acquire sees the
  /// other figures of that moment or later ones.
  std::atomic<bool> saturated{false};
  /// Latency markers a source emitted (D9).
  std::atomic<uint64_t> markers{0};
  /// Barrier alignment: first barrier of a checkpoint to its snapshot.
  std::atomic<uint64_t> last_alignment_ns{0};
  std::atomic<uint64_t> alignment_ns{0}; ///< Sum over all checkpoints.
  std::atomic<uint64_t> snapshots{0};    ///< Snapshots taken.
  std::atomic<bool> finished{false};
};

/// Live figures of one node the job watches (`[nodes]`), written by the
/// job's node watcher.
struct node_metrics {
  node_metrics(std::string node_name, std::string node_address)
      : name(std::move(node_name)), address(std::move(node_address)) {}

  const std::string name;
  const std::string address; ///< "HOST:PORT".

  std::atomic<bool> up{false};
  std::atomic<uint64_t> joins{0};  ///< Handshakes that succeeded.
  std::atomic<uint64_t> losses{0}; ///< Joined, then lost.
};

/// The checkpoint interval in force and the rule that chose it (CI1-CI9).
struct checkpoint_interval_figures {
  std::chrono::nanoseconds interval{0};
  std::string reason;
  uint64_t changes = 0;      ///< Meaningful changes so far (CI9).
  uint64_t source_holds = 0; ///< Times a source held at its allowance (CI8).
};

/// The live figures of a whole job, shared by its actors and its handle.
class job_metrics {
public:
  job_metrics() : started_(std::chrono::steady_clock::now()) {}

  /// Adds an instance; only while the job is being spawned.
  instance_metrics& add(std::string stage, uint32_t instance, uint64_t budget);

  /// All instances, in spawn order. The list is fixed once the job runs.
  const std::vector<std::unique_ptr<instance_metrics>>& instances() const {
    return instances_;
  }

  /// Adds a node; only while the job is being planned.
  node_metrics& add_node(std::string name, std::string address);

  /// The nodes the job watches, in `[nodes]` order; fixed once it runs.
  const std::vector<std::unique_ptr<node_metrics>>& nodes() const {
    return nodes_;
  }

  /// Checkpoints kept in the history; older ones are only counted.
  static constexpr size_t checkpoint_history = 512;

  void add_checkpoint(const checkpoint_stats& x);

  /// The newest checkpoints (at most `checkpoint_history`), oldest first.
  std::vector<checkpoint_stats> checkpoints() const;

  /// The newest `n` checkpoints at most, oldest first.
  std::vector<checkpoint_stats> recent_checkpoints(size_t n) const;

  /// Checkpoints completed and aborted over the job's life.
  uint64_t checkpoints_completed() const noexcept {
    return completed_.load(std::memory_order_relaxed);
  }

  uint64_t checkpoints_aborted() const noexcept {
    return aborted_.load(std::memory_order_relaxed);
  }

  /// Written by the coordinator as the interval adapts.
  void set_checkpoint_interval(std::chrono::nanoseconds interval,
                               std::string reason, bool changed);
  void count_source_hold();
  checkpoint_interval_figures checkpoint_interval() const;

  void add_recovery(const recovery_stats& x);

  /// Instance failures seen, whether or not a recovery followed each (a
  /// failure during a recovery merges into it).
  uint64_t failures() const noexcept {
    return failures_.load(std::memory_order_relaxed);
  }

  void count_failure() noexcept {
    failures_.fetch_add(1, std::memory_order_relaxed);
  }

  /// Recoveries so far, oldest first.
  std::vector<recovery_stats> recoveries() const;

  /// Source to sink, measured with latency markers.
  latency_histogram& latency() noexcept { return latency_; }

  const latency_histogram& latency() const noexcept { return latency_; }

  std::chrono::steady_clock::time_point started() const noexcept {
    return started_;
  }

  /// Sum of `field` over the instances of `stage`.
  uint64_t sum(const std::string& stage,
               std::atomic<uint64_t> instance_metrics::*field) const;

private:
  std::chrono::steady_clock::time_point started_;
  std::vector<std::unique_ptr<instance_metrics>> instances_;
  std::vector<std::unique_ptr<node_metrics>> nodes_;
  mutable std::mutex mtx_;
  std::deque<checkpoint_stats> checkpoints_;
  std::atomic<uint64_t> completed_{0};
  std::atomic<uint64_t> aborted_{0};
  std::vector<recovery_stats> recoveries_;
  checkpoint_interval_figures interval_;
  latency_histogram latency_;
  std::atomic<uint64_t> failures_{0};
};

} // namespace sluice::actors
