#pragma once

#include "actors/instance_report.hpp"
#include "actors/job_outcome.hpp"
#include "actors/job_plan.hpp"

#include <caf/actor.hpp>
#include <caf/behavior.hpp>
#include <caf/response_promise.hpp>
#include <caf/stateful_actor.hpp>

#include <chrono>
#include <memory>
#include <unordered_map>
#include <vector>

namespace sluice::actors {

struct job_runner_state {
  static inline const char* name = "sluice.job_runner";

  std::shared_ptr<const job_plan> plan;
  std::shared_ptr<job_outcome> outcome;
  std::vector<std::vector<caf::actor>> instances; ///< [stage][instance]
  caf::actor coordinator; ///< Null without checkpoints.
  caf::actor store;       ///< Null without checkpoints.
  std::unordered_map<caf::actor_addr, std::pair<uint32_t, uint32_t>> where;
  size_t alive = 0;
  caf::error failure; ///< The first abnormal exit.
  job_report report;
  std::chrono::steady_clock::time_point started;
  std::vector<caf::response_promise> waiters;
};

/// Spawns and monitors every instance of a job — and, with checkpoints, the
/// store (detached, on its own thread) and the coordinator — hands the
/// instances the roster, and reports the outcome once all ended: the job
/// completed when every instance ended normally; the first abnormal exit of
/// any of them fails it and stops the rest. Answers `wait_atom` with the
/// outcome, `report_atom` with the reports so far, `checkpoint_atom` with
/// the id of a checkpoint taken now; forwards `stop_atom` to the sources.
caf::behavior job_runner(caf::stateful_actor<job_runner_state>* self,
                         std::shared_ptr<const job_plan> plan,
                         std::shared_ptr<job_outcome> outcome);

} // namespace sluice::actors
