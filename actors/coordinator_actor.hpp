#pragma once

#include "actors/checkpoint_stats.hpp"
#include "actors/job_plan.hpp"
#include "protocol/checkpoint_tracker.hpp"

#include <caf/actor.hpp>
#include <caf/behavior.hpp>
#include <caf/response_promise.hpp>
#include <caf/stateful_actor.hpp>

#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <utility>
#include <vector>

namespace sluice::actors {

struct coordinator_state {
  static inline const char* name = "sluice.coordinator";

  std::shared_ptr<const job_plan> plan;
  caf::actor store;
  caf::actor runner;
  std::vector<caf::actor> sources;    ///< Receive triggers.
  std::vector<caf::actor> committers; ///< Receive `checkpoint_committed`.
  std::optional<protocol::checkpoint_tracker> tracker;
  struct flight {
    protocol::checkpoint_plan plan;
    std::chrono::steady_clock::time_point started;
    std::vector<caf::response_promise> waiters;
  };
  std::map<protocol::checkpoint_id, flight> flights;
  /// Requests for a checkpoint that could not start yet.
  std::deque<caf::response_promise> requests;
  /// Sources that reported they finished: (stage, instance).
  std::set<std::pair<uint32_t, uint32_t>> sources_finished;
  bool final_wanted = false;
  bool final_started = false;
  /// Instances are being restarted: no checkpoint starts.
  bool paused = false;
};

///   running --all sources finished--> final checkpoint --completed--> idle
///
/// Starts a checkpoint every interval, on request (`checkpoint_atom`,
/// answered with the id once completed) and, once every source finished,
/// the final one (rules C1, C7). Collects the store's acknowledgements,
/// completes a checkpoint through the store's transaction and then tells
/// the instances `checkpoint_committed` (C5); aborts one after the timeout
/// or a failed snapshot (C6). Reports every checkpoint to the runner as
/// `checkpoint_stats`. Fails when the store fails or the final checkpoint
/// is aborted outside a failover.
///
/// Failover: `(failover_atom, sources)` aborts what is in flight and pauses
/// checkpoints while the runner restarts instances (answering whether the
/// final checkpoint was in flight); `(restart_atom, sources, committers)`
/// hands over the new instances and resumes.
caf::behavior coordinator_actor(caf::stateful_actor<coordinator_state>* self,
                                std::shared_ptr<const job_plan> plan,
                                caf::actor store, caf::actor runner,
                                std::vector<caf::actor> sources,
                                std::vector<caf::actor> committers);

} // namespace sluice::actors
