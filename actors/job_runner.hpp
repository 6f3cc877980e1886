#pragma once

#include "actors/instance_report.hpp"
#include "actors/job_metrics.hpp"
#include "actors/job_outcome.hpp"
#include "actors/job_plan.hpp"
#include "protocol/failover_regions.hpp"

#include <caf/actor.hpp>
#include <caf/behavior.hpp>
#include <caf/response_promise.hpp>
#include <caf/stateful_actor.hpp>

#include <chrono>
#include <deque>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <unordered_map>
#include <utility>
#include <vector>

namespace sluice::actors {

struct job_runner_state {
  static inline const char* name = "sluice.job_runner";

  using clock = std::chrono::steady_clock;
  using instance_id = std::pair<uint32_t, uint32_t>; ///< (stage, instance)

  /// The plan of the instances running now (a restart gets a new one).
  std::shared_ptr<const job_plan> plan;
  std::shared_ptr<job_outcome> outcome;
  std::vector<std::vector<caf::actor>> instances; ///< [stage][instance]
  std::unordered_map<caf::actor_addr, instance_id> live;
  std::optional<protocol::failover_regions> regions;
  caf::actor coordinator; ///< Null without checkpoints.
  caf::actor store;       ///< Null without checkpoints.
  caf::actor nodes;       ///< The node watcher; null without [nodes].
  caf::error failure;     ///< Fails the job: no more restarts.
  job_report report;
  clock::time_point started;
  std::vector<caf::response_promise> waiters;
  bool stop_requested = false;

  // -- failover ---------------------------------------------------------------

  enum class phase {
    running,     ///< All regions run.
    stopping,    ///< Failed regions' instances are being stopped.
    backing_off, ///< Waiting before the restart.
    restoring,   ///< Loading the checkpoint to restart from.
  };
  phase now = phase::running;
  std::set<uint32_t> failed_regions;
  std::set<instance_id> awaiting_down; ///< Stopped on purpose, not down yet.
  uint64_t generation = 0; ///< Stale timers and replies carry an old one.
  std::deque<clock::time_point> restarts; ///< Within the restart window.
  std::mt19937_64 jitter;
  /// The recovery under way: failure seen, records read before it.
  recovery_stats recovery;
  clock::time_point failure_seen;
  uint64_t read_before_failure = 0;
  bool awaiting_resume = false;
};

///   running --failure--> stopping --region down--> backing_off
///      ^                                              |
///      +------ respawned <-- restoring <--------------+
///
/// Spawns and monitors every instance of a job — and, with checkpoints, the
/// store (detached, on its own thread) and the coordinator — hands them the
/// roster, and reports the outcome once all ended normally. A failed
/// instance takes its failover region down (R1); after a backoff with
/// jitter (R2) the region restarts from the latest completed checkpoint
/// (R3), or from the beginning without one. More than `max_restarts` within
/// the window fails the job naming the stage, instance and last error (R4).
/// Every recovery is measured (R5). Answers `wait_atom`, `report_atom`,
/// `checkpoint_atom`; forwards `stop_atom` to the sources.
caf::behavior job_runner(caf::stateful_actor<job_runner_state>* self,
                         std::shared_ptr<const job_plan> plan,
                         std::shared_ptr<job_outcome> outcome);

} // namespace sluice::actors
