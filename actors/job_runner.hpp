#pragma once

#include "actors/instance_report.hpp"
#include "actors/job_metrics.hpp"
#include "actors/job_outcome.hpp"
#include "actors/job_plan.hpp"
#include "actors/recovery_meter.hpp"
#include "actors/store_actor.hpp"
#include "protocol/failover_machine.hpp"
#include "protocol/failover_regions.hpp"

#include <caf/actor.hpp>
#include <caf/behavior.hpp>
#include <caf/response_promise.hpp>
#include <caf/stateful_actor.hpp>

#include <chrono>
#include <memory>
#include <optional>
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
  std::optional<protocol::failover_machine> failover;
  recovery_meter recovery;
  /// The restore point of the restart under way.
  restore_handle loaded;
  /// The final checkpoint, when the coordinator paused after it completed.
  protocol::checkpoint_id final_id{};
  caf::actor coordinator; ///< Null without checkpoints.
  caf::actor store;       ///< Null without checkpoints.
  caf::actor nodes;       ///< The node watcher; null without [nodes].
  caf::error failure;     ///< Fails the job: no more restarts.
  job_report report;
  clock::time_point started;
  std::vector<caf::response_promise> waiters;
  /// The job was asked to stop: restarted sources stop too.
  bool stop_requested = false;
};

/// Spawns and wires every instance of a job — and, with checkpoints, the
/// store (detached, on its own thread) and the coordinator — hands them the
/// roster, and reports the outcome once all ended normally. Its failover is
/// `protocol::failover_machine` (rules F1-F7, R1-R4): a failed instance
/// takes its failover region down; after a backoff with jitter the region
/// restarts from the latest completed checkpoint, or from the beginning
/// without one, or ends behind the job's completed final checkpoint (L6,
/// O4). Every recovery is measured (`recovery_meter`, R5). Answers
/// `wait_atom`, `report_atom`, `checkpoint_atom`; forwards `stop_atom` to
/// the sources and fails a job that does not end within twice its
/// checkpoint timeout after it (J7).
caf::behavior job_runner(caf::stateful_actor<job_runner_state>* self,
                         std::shared_ptr<const job_plan> plan,
                         std::shared_ptr<job_outcome> outcome);

} // namespace sluice::actors
