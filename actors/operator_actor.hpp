#pragma once

#include "actors/instance_report.hpp"
#include "actors/job_plan.hpp"
#include "actors/output_link.hpp"
#include "operators/operator_instance.hpp"
#include "protocol/credit_ledger.hpp"
#include "protocol/messages.hpp"

#include <caf/actor.hpp>
#include <caf/behavior.hpp>
#include <caf/stateful_actor.hpp>

#include <deque>
#include <memory>
#include <string>
#include <vector>

namespace sluice::actors {

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
  protocol::credit_ledger ledger;
  /// Batches that arrived while the outputs were saturated (rule D4).
  std::deque<protocol::batch> set_aside;
  std::vector<protocol::credit_grant> grants;
  bool finished = false; ///< `logic->finish()` ran.
  instance_report report;
  /// Credit that overtook the roster (demand has high priority).
  std::vector<protocol::demand> early_demand;
};

///   waiting_for_roster --roster--> running --all inputs ended,
///                                            outputs drained--> (quit)
///
/// Consumes batches while its outputs have room, sets them aside while they
/// are saturated, grants credit per input channel from its ledger, and
/// ends its outputs once every input ended (rules D2-D5).
caf::behavior operator_actor(caf::stateful_actor<operator_state>* self,
                             std::shared_ptr<const job_plan> plan,
                             uint32_t stage, uint32_t instance);

} // namespace sluice::actors
