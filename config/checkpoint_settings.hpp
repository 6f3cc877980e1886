#pragma once

#include "protocol/checkpoint_id.hpp"
#include "protocol/checkpoint_interval_policy.hpp"

#include <chrono>
#include <cstdint>
#include <string>

namespace sluice::config {

/// How a job takes checkpoints. Off unless a store is named.
struct checkpoint_settings {
  /// The job's SQLite store. Empty: no checkpoints.
  std::string store;
  /// Time between checkpoints; 0: only on request and at the end. Ignored
  /// when `targets` sets a bound: the interval then adapts (rules CI1-CI9).
  std::chrono::nanoseconds interval{std::chrono::seconds{10}};
  /// What the job wants instead of a fixed interval.
  protocol::interval_targets targets;
  /// A checkpoint not completed by then is aborted; the job goes on.
  std::chrono::nanoseconds timeout{std::chrono::minutes{1}};
  protocol::checkpoint_mode mode = protocol::checkpoint_mode::exactly_once;
  /// Checkpoints in flight at once.
  uint32_t max_concurrent = 1;
  /// Completed checkpoints kept (with the chains they need).
  uint32_t retain = 3;
  /// A full snapshot every this many checkpoints, deltas between.
  uint32_t full_every = 10;
  /// How far the store's thread, which encodes and writes snapshots, yields
  /// a busy core to the data path: a nice increment (0 to 19) with the
  /// batch scheduling class; 0: it runs at the data path's priority.
  uint32_t store_niceness = 5;

  bool enabled() const noexcept { return !store.empty(); }
};

} // namespace sluice::config
