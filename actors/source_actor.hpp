#pragma once

#include "actors/fault_injector.hpp"
#include "actors/ingress_instance.hpp"
#include "actors/instance_report.hpp"
#include "actors/job_plan.hpp"
#include "actors/output_link.hpp"
#include "operators/operator_instance.hpp"
#include "protocol/messages.hpp"

#include <caf/actor.hpp>
#include <caf/behavior.hpp>
#include <caf/stateful_actor.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sluice::actors {

/// State of a source instance.
struct source_state {
  static inline const char* name = "sluice.source";

  std::shared_ptr<const job_plan> plan;
  uint32_t stage = 0;
  uint32_t instance = 0;
  std::string where;
  std::unique_ptr<operators::source_instance> logic;
  output_link link;
  worker_affinity affinity;
  caf::actor runner;
  bool pull_pending = false;    ///< A pull message is on its way to us.
  bool exhausted = false;       ///< A bounded source read its last record.
  bool stopping = false;        ///< The job was asked to stop.
  bool finish_reported = false; ///< The coordinator knows we are done.
  bool final_barrier_sent = false;
  /// An ingress source acknowledges its producers' last records only when
  /// the final checkpoint committed, so it stays until then.
  std::optional<protocol::checkpoint_id> final_checkpoint;
  bool final_committed = false;
  caf::actor coordinator; ///< Null without checkpoints.
  caf::actor store;
  instance_report report;
  instance_metrics* metrics = nullptr;
  fault_injector faults;
  /// Set for a source fed by application actors.
  ingress_logic* ingress = nullptr;
  std::optional<std::chrono::steady_clock::time_point> saturated_since;
  /// Credit that overtook the roster (demand has high priority).
  std::vector<protocol::demand> early_demand;
};

///   waiting_for_roster --roster--> pulling <--demand-- (saturated)
///                                     |
///       exhausted or stopped --> [checkpoints: report to the coordinator,
///       wait for the final trigger] --> outputs drained --> (quit)
///
/// Pulls records while its outputs have credit (rule D4): without credit it
/// stops reading, which is where backpressure ends. On a trigger it stores
/// its offset and puts the barrier behind the records read so far (C1, C2).
/// Restored, it seeks to the offset of the restore point.
caf::behavior source_actor(caf::stateful_actor<source_state>* self,
                           std::shared_ptr<const job_plan> plan, uint32_t stage,
                           uint32_t instance);

} // namespace sluice::actors
