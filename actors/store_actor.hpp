#pragma once

#include "protocol/checkpoint_tracker.hpp"
#include "state/checkpoint_store.hpp"
#include "state/restore_point.hpp"

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/behavior.hpp>
#include <caf/stateful_actor.hpp>

#include <map>
#include <memory>
#include <optional>
#include <string>

namespace sluice::actors {

/// A decoded restore point, passed between actors of one process.
using restore_handle = std::shared_ptr<const state::restore_point>;

struct store_state {
  static inline const char* name = "sluice.store";
  std::optional<state::checkpoint_store> store;
  std::string job;
  uint32_t retain = 3;
  /// Checkpoints begun and not yet completed or aborted: their kind and
  /// base go into each snapshot's identity.
  std::map<protocol::checkpoint_id, protocol::checkpoint_plan> begun;
};

/// Owns the job's checkpoint store and does all its I/O on its own thread
/// (spawn it detached), off the data path (rule C3), as background work of
/// the given `niceness` (see `run_as_background`):
///
/// * `snapshot_taken`: encodes the image stamped with its identity (job
///   `job`, rule S5), writes it, and tells the
///   coordinator `snapshot_stored` (or `snapshot_failed`);
/// * `(begin_atom, checkpoint_plan)`: records a started checkpoint;
/// * `(complete_atom, checkpoint_id)`: the completing transaction and
///   retention; answers once it is durable, with a warning to log (a
///   failed retention) or an empty string;
/// * `load_atom`: the newest restorable checkpoint, decoded, for a restart
///   (`restore_handle`; an error when there is none);
/// * `(abort_atom, checkpoint_id)`: deletes what the checkpoint stored.
///
/// Storage failures are answered as errors: the coordinator aborts that
/// checkpoint and the job goes on (rule C6). Only a store that cannot be
/// opened ends the actor, and with it the job.
caf::behavior store_actor(caf::stateful_actor<store_state>* self,
                          std::string job, std::string path, uint32_t retain,
                          uint32_t niceness);

} // namespace sluice::actors

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(sluice::actors::restore_handle)
