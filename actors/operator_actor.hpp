#pragma once

#include "actors/egress_instance.hpp"
#include "actors/instance_base.hpp"
#include "actors/job_plan.hpp"
#include "operators/operator_instance.hpp"
#include "protocol/barrier_aligner.hpp"
#include "protocol/checkpoint_messages.hpp"
#include "protocol/credit_ledger.hpp"
#include "protocol/input_holdback.hpp"
#include "protocol/operator_lifecycle.hpp"

#include <caf/actor.hpp>
#include <caf/behavior.hpp>
#include <caf/stateful_actor.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <vector>

namespace sluice::actors {

/// State of a transform or sink instance.
struct operator_state : instance_base {
  static inline const char* name = "sluice.operator";

  std::unique_ptr<operators::operator_instance> logic;
  protocol::output_port* out = nullptr; ///< Null for sinks.
  /// Producer of each input slot, and the producer's output slot for it.
  std::vector<caf::actor> producers;
  std::vector<uint32_t> producer_outputs;
  /// Where each producer last ran: credit wakes it there.
  peer_homes producer_homes;
  protocol::credit_ledger ledger;
  protocol::input_holdback held;
  protocol::barrier_aligner aligner;
  std::optional<protocol::operator_lifecycle> life;
  protocol::snapshot_kind pending_kind = protocol::snapshot_kind::full;
  bool pending_final = false;
  /// When the first barrier of the pending checkpoint arrived.
  std::optional<std::chrono::steady_clock::time_point> aligning_since;
  std::vector<protocol::credit_grant> grants;
  /// Set for a sink that hands records to an application actor.
  egress_logic* egress = nullptr;
  /// A restarted instance tells the runner when it processed its first
  /// record again (time to resume).
  bool resume_reported = true;
  /// Skipped records beyond those logged were announced once.
  bool skips_beyond_log = false;
};

///   waiting_for_roster --roster--> running (operator_lifecycle: running,
///   finished) --inputs ended, outputs drained, [committed]--> (quit)
///
/// Consumes batches while its outputs have room, holds back what cannot go
/// yet (`input_holdback`, H1-H3), grants credit per input channel from its
/// ledger, and ends its outputs once every input ended (rules D2-D5).
/// Aligns barriers (A1-A4), snapshots its states at a barrier and sends the
/// copy to the store (C3), forwards the barrier, and commits a sink's
/// epochs when the coordinator says so (C5). Its logic finishes before the
/// final snapshot; a sink ends only after the checkpoint of its last
/// barrier committed (`operator_lifecycle`, O1-O4). Restored from the
/// plan's restore point before its first record.
caf::behavior operator_actor(caf::stateful_actor<operator_state>* self,
                             std::shared_ptr<const job_plan> plan,
                             uint32_t stage, uint32_t instance,
                             instance_counters counters);

} // namespace sluice::actors
