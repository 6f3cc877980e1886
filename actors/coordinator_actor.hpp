#pragma once

#include "actors/checkpoint_stats.hpp"
#include "actors/job_plan.hpp"
#include "protocol/checkpoint_interval_policy.hpp"
#include "protocol/checkpoint_tracker.hpp"
#include "protocol/end_of_job.hpp"

#include <caf/actor.hpp>
#include <caf/behavior.hpp>
#include <caf/meta/type_name.hpp>
#include <caf/response_promise.hpp>
#include <caf/stateful_actor.hpp>

#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

namespace sluice::actors {

/// Runner to coordinator: the failed regions run again (rule J4).
struct regions_restarted {
  std::vector<caf::actor> sources;    ///< Every source, in a fixed order.
  std::vector<caf::actor> committers; ///< Every other instance.
  /// The sources restarted, as (stage, instance).
  std::vector<std::pair<uint32_t, uint32_t>> restarted;
  uint32_t incarnation = 0;
  /// The checkpoint they were restored from; 0: from the beginning.
  protocol::checkpoint_id restored{};
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, regions_restarted& x) {
  return f(caf::meta::type_name("sluice::actors::regions_restarted"), x.sources,
           x.committers, x.restarted, x.incarnation, x.restored);
}

struct coordinator_state {
  static inline const char* name = "sluice.coordinator";

  std::shared_ptr<const job_plan> plan;
  caf::actor store;
  caf::actor runner;
  std::vector<caf::actor> sources;    ///< Receive triggers.
  std::vector<caf::actor> committers; ///< Receive `checkpoint_committed`.
  std::optional<protocol::checkpoint_tracker> tracker;
  std::optional<protocol::end_of_job> end;
  /// When the next checkpoint is due (CI1-CI9).
  std::optional<protocol::checkpoint_interval_policy> interval;
  /// The tick armed for the next due checkpoint; older ticks are stale.
  std::optional<std::chrono::steady_clock::time_point> tick_at;
  uint64_t tick_generation = 0;
  struct flight {
    protocol::checkpoint_plan plan;
    std::chrono::steady_clock::time_point started;
    std::vector<caf::response_promise> waiters;
    /// Records the sources had read at their snapshots (CI2).
    uint64_t records = 0;
  };
  std::map<protocol::checkpoint_id, flight> flights;
  /// Requests for a checkpoint that could not start yet.
  std::deque<caf::response_promise> requests;
};

/// An adapter over `protocol::checkpoint_tracker`, `protocol::end_of_job`
/// and `protocol::checkpoint_interval_policy`. Starts a checkpoint when
/// the policy says one is due (a fixed interval, or one adapted to the
/// input rate, the checkpoints' cost, failures and held sources), on request
/// (`checkpoint_atom`, answered with the id once completed) and, once every
/// source of the current incarnations finished and nothing else is in
/// flight, the final one (rules C1, C7, J1-J6). Collects the store's
/// acknowledgements, completes a checkpoint through the store's transaction
/// and then tells the instances `checkpoint_committed` (C5); aborts one
/// after the timeout or a failed snapshot (C6). Reports every checkpoint to
/// the runner as `checkpoint_stats`. Fails when the store fails or the
/// final checkpoint is aborted outside a failover.
///
/// Failover: `failover_atom` aborts what is in flight and pauses
/// checkpoints while the runner restarts instances, answering where the
/// final checkpoint was (`failover_paused`); `regions_restarted` hands over
/// the new instances and resumes with a new chain.
caf::behavior coordinator_actor(caf::stateful_actor<coordinator_state>* self,
                                std::shared_ptr<const job_plan> plan,
                                caf::actor store, caf::actor runner,
                                std::vector<caf::actor> sources,
                                std::vector<caf::actor> committers);

} // namespace sluice::actors
