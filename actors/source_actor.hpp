#pragma once

#include "actors/ingress_instance.hpp"
#include "actors/instance_base.hpp"
#include "actors/job_plan.hpp"
#include "operators/operator_instance.hpp"
#include "protocol/replay_guard.hpp"
#include "protocol/source_lifecycle.hpp"

#include <caf/behavior.hpp>
#include <caf/stateful_actor.hpp>

#include <memory>

namespace sluice::actors {

/// State of a source instance: its logic and its lifecycle.
struct source_state : instance_base {
  static inline const char* name = "sluice.source";

  std::unique_ptr<operators::source_instance> logic;
  protocol::source_lifecycle life{protocol::source_ending::drain};
  bool pull_pending = false; ///< A pull message is on its way to us.
  /// Set for a source fed by application actors.
  ingress_logic* ingress = nullptr;
  /// CI8: holds reading at the source's share of `max-replay-records`.
  protocol::replay_guard guard{0, 0};
};

///   waiting_for_roster --roster--> running (source_lifecycle: reading,
///   paused, stopping, finished, stopped, awaiting_final) --> (quit)
///
/// An adapter over `protocol::source_lifecycle` (rules L1-L6): pulls
/// records while its outputs have credit (D4) — without credit it stops
/// reading, which is where backpressure ends; on a trigger stores its
/// offset and puts the barrier behind the records read so far (C1, C2);
/// with checkpoints, reports once that it finished and ends its streams
/// only behind the final barrier (C7). With `max-replay-records` it reads
/// at most its share beyond its last committed checkpoint and tells the
/// coordinator when it holds there (CI7, CI8). Restored, it seeks to the offset
/// of the restore point; restored from the job's completed final checkpoint, it
/// ends at once (L6).
caf::behavior source_actor(caf::stateful_actor<source_state>* self,
                           std::shared_ptr<const job_plan> plan, uint32_t stage,
                           uint32_t instance, instance_counters counters);

} // namespace sluice::actors
