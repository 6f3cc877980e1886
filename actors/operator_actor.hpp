#pragma once

#include "actors/egress_instance.hpp"
#include "actors/fault_injector.hpp"
#include "actors/instance_report.hpp"
#include "actors/job_plan.hpp"
#include "actors/output_link.hpp"
#include "operators/operator_instance.hpp"
#include "protocol/barrier_aligner.hpp"
#include "protocol/checkpoint_messages.hpp"
#include "protocol/credit_ledger.hpp"
#include "protocol/messages.hpp"

#include <caf/actor.hpp>
#include <caf/behavior.hpp>
#include <caf/stateful_actor.hpp>

#include <chrono>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace sluice::actors {

/// Something that arrived on an input channel, in channel order.
using input_event
  = std::variant<protocol::batch, protocol::barrier, protocol::latency_marker,
                 protocol::end_of_stream>;

/// State of a transform or sink instance.
struct operator_state {
  static inline const char* name = "sluice.operator";

  std::shared_ptr<const job_plan> plan;
  uint32_t stage = 0;
  uint32_t instance = 0;
  std::string where; ///< "stage 'x' instance i/p", for errors.
  std::unique_ptr<operators::operator_instance> logic;
  protocol::output_port* out = nullptr; ///< Null for sinks.
  output_link link;
  caf::actor runner;
  /// Producer of each input slot, and the producer's output slot for it.
  std::vector<caf::actor> producers;
  std::vector<uint32_t> producer_outputs;
  /// Where each producer last ran: credit wakes it there.
  std::vector<const std::atomic<int>*> producer_workers;
  worker_affinity affinity;
  protocol::credit_ledger ledger;
  /// Input events held back, in arrival order: batches while the outputs
  /// are saturated (rule D4), everything of an input that alignment holds
  /// back (A1), and whatever arrives behind those on the same input.
  std::deque<input_event> held;
  std::vector<uint32_t> held_per_input;
  protocol::barrier_aligner aligner;
  protocol::snapshot_kind pending_kind = protocol::snapshot_kind::full;
  bool pending_final = false;
  caf::actor coordinator;
  caf::actor store;
  std::optional<protocol::checkpoint_id> last_snapshot;
  /// When the first barrier of the pending checkpoint arrived.
  std::optional<std::chrono::steady_clock::time_point> aligning_since;
  std::optional<protocol::checkpoint_id> last_committed;
  std::vector<protocol::credit_grant> grants;
  bool finished = false; ///< `logic->finish()` ran.
  instance_report report;
  instance_metrics* metrics = nullptr;
  fault_injector faults;
  /// Set for a sink that hands records to an application actor.
  egress_logic* egress = nullptr;
  /// A restarted instance tells the runner when it processed its first
  /// record again (time to resume).
  bool resume_reported = true;
  /// Since when the outputs are saturated, while they are.
  std::optional<std::chrono::steady_clock::time_point> saturated_since;
  /// Credit that overtook the roster (demand has high priority).
  std::vector<protocol::demand> early_demand;
};

///   waiting_for_roster --roster--> running --all inputs ended,
///                                            outputs drained--> (quit)
///
/// Consumes batches while its outputs have room, holds them back while they
/// are saturated, grants credit per input channel from its ledger, and
/// ends its outputs once every input ended (rules D2-D5). Aligns barriers
/// (A1-A4), snapshots its states at a barrier and sends the copy to the
/// store (C3), forwards the barrier, and commits a sink's epochs when the
/// coordinator says so (C5). A sink ends only after the checkpoint of its
/// last barrier committed (C7). Restored from the plan's restore point
/// before its first record.
caf::behavior operator_actor(caf::stateful_actor<operator_state>* self,
                             std::shared_ptr<const job_plan> plan,
                             uint32_t stage, uint32_t instance);

} // namespace sluice::actors
