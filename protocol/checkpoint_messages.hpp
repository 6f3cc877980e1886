#pragma once

#include "protocol/checkpoint_id.hpp"
#include "protocol/end_of_job.hpp"

#include <caf/meta/type_name.hpp>

#include <cstdint>
#include <string>

namespace sluice::protocol {

/// Coordinator to source: take checkpoint `id` now (rule C1).
struct checkpoint_trigger {
  checkpoint_id id{};
  snapshot_kind kind = snapshot_kind::full;
  /// The job's last checkpoint: the source ends its streams after the
  /// barrier (rule C7).
  bool final = false;
};

/// In-band on a channel, after the last batch of the checkpoint's epoch and
/// before the first of the next (rule C2). Needs no credit.
struct barrier {
  uint32_t input = 0; ///< The consumer's input slot.
  checkpoint_id id{};
  snapshot_kind kind = snapshot_kind::full;
  /// The job's last checkpoint: only the end of the stream follows (C7).
  bool final = false;
};

/// A barrier as a producer holds it: waiting in a channel buffer behind
/// records (rule C2) until they left.
struct barrier_mark {
  checkpoint_id id{};
  snapshot_kind kind = snapshot_kind::full;
  bool final = false;
  /// Records of the channel's buffer ahead of it.
  size_t position = 0;
};

/// Store to coordinator: an instance's snapshot is durable (rule C4).
struct snapshot_stored {
  checkpoint_id id{};
  uint32_t stage = 0;
  uint32_t instance = 0;
  uint64_t bytes = 0;
  /// A source's records read when it took the snapshot (the input rate,
  /// CI2); 0 for other instances.
  uint64_t records = 0;
};

/// Store to coordinator: an instance's snapshot could not be stored.
struct snapshot_failed {
  checkpoint_id id{};
  uint32_t stage = 0;
  uint32_t instance = 0;
  std::string reason;
};

/// Coordinator to instances: checkpoint `id` completed; sinks make its
/// epoch visible (rule C5).
struct checkpoint_committed {
  checkpoint_id id{};
};

/// Source to coordinator: it read its last record or was stopped, and waits
/// for the final checkpoint (rules C7, L3, J1).
struct source_finished {
  uint32_t stage = 0;
  uint32_t instance = 0;
  /// Restarts of the job's instances before this one was spawned: a
  /// report of an instance stopped since is stale.
  uint32_t incarnation = 0;
};

/// Source to coordinator: it holds at its share of `max-replay-records`
/// until a checkpoint commits (rules CI7, CI8).
struct source_held {
  uint32_t stage = 0;
  uint32_t instance = 0;
  uint64_t records = 0; ///< Read so far.
};

/// Coordinator to runner, answering `failover_atom`: checkpoints are
/// paused, and where the final checkpoint was (rule J4).
struct failover_paused {
  final_at_failover final = final_at_failover::none;
  /// The final checkpoint, when it completed.
  checkpoint_id final_id{};
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, failover_paused& x) {
  return f(caf::meta::type_name("sluice::protocol::failover_paused"), x.final,
           x.final_id);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, checkpoint_trigger& x) {
  return f(caf::meta::type_name("sluice::protocol::checkpoint_trigger"), x.id,
           x.kind, x.final);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, barrier& x) {
  return f(caf::meta::type_name("sluice::protocol::barrier"), x.input, x.id,
           x.kind, x.final);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, snapshot_stored& x) {
  return f(caf::meta::type_name("sluice::protocol::snapshot_stored"), x.id,
           x.stage, x.instance, x.bytes, x.records);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, snapshot_failed& x) {
  return f(caf::meta::type_name("sluice::protocol::snapshot_failed"), x.id,
           x.stage, x.instance, x.reason);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, checkpoint_committed& x) {
  return f(caf::meta::type_name("sluice::protocol::checkpoint_committed"),
           x.id);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, source_finished& x) {
  return f(caf::meta::type_name("sluice::protocol::source_finished"), x.stage,
           x.instance, x.incarnation);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, source_held& x) {
  return f(caf::meta::type_name("sluice::protocol::source_held"), x.stage,
           x.instance, x.records);
}

} // namespace sluice::protocol
