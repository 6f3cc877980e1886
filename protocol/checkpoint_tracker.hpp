#pragma once

#include "protocol/checkpoint_id.hpp"

#include <caf/meta/type_name.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <utility>
#include <vector>

namespace sluice::protocol {

/// A checkpoint the coordinator starts.
struct checkpoint_plan {
  checkpoint_id id{};
  snapshot_kind kind = snapshot_kind::full;
  checkpoint_id base{}; ///< The full checkpoint its chain starts with.
  bool final = false;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, checkpoint_plan& x) {
  return f(caf::meta::type_name("sluice::protocol::checkpoint_plan"), x.id,
           x.kind, x.base, x.final);
}

/// A checkpoint every instance acknowledged.
struct acknowledged_checkpoint {
  checkpoint_plan plan;
  uint64_t bytes = 0; ///< Snapshot bytes of all its instances.
};

/// The coordinator's bookkeeping (rules C1, C4-C6): which checkpoints are in
/// flight, which instances acknowledged them, when one is complete, and
/// whether the next may be a delta. No clock: the coordinator actor aborts
/// a checkpoint when its timeout fires. Not thread-safe.
class checkpoint_tracker {
public:
  /// `instances`: acknowledgements a checkpoint needs. `last_completed`:
  /// the checkpoint the job was restored from (its state is the base of the
  /// next delta), or none.
  checkpoint_tracker(size_t instances, size_t max_concurrent,
                     uint32_t full_every,
                     std::optional<checkpoint_plan> last_completed,
                     checkpoint_id first_id = checkpoint_id{1});

  /// Starts the next checkpoint, or nothing while `max_concurrent` are in
  /// flight.
  [[nodiscard]] std::optional<checkpoint_plan> start(bool final = false);

  /// An instance's snapshot of `id` is durable. Returns the checkpoints
  /// that completed now, oldest first: a checkpoint completes once every
  /// instance acknowledged it and every older one in flight completed (C5).
  /// Duplicates and acks of unknown checkpoints change nothing.
  [[nodiscard]] std::vector<acknowledged_checkpoint>
  on_ack(checkpoint_id id, uint32_t stage, uint32_t instance, uint64_t bytes);

  /// Gives up on `id` (timeout, failed snapshot). Returns it and every
  /// checkpoint in flight whose delta chain runs through it (C6).
  [[nodiscard]] std::vector<checkpoint_id> abort(checkpoint_id id);

  /// The checkpoints that complete now, oldest first: after an abort, a
  /// full checkpoint every instance acknowledged no longer waits for the
  /// older one that was aborted (C5).
  [[nodiscard]] std::vector<acknowledged_checkpoint> complete_in_order();

  /// The store failed to mark `id` completed after every instance
  /// acknowledged it (a full disk): it did not complete. The next
  /// checkpoint starts a new chain; returns the deltas in flight, which
  /// may build on `id` and must be aborted.
  [[nodiscard]] std::vector<checkpoint_id> completion_failed(checkpoint_id id);

  /// Instances restarted from a restore point (R3): the next checkpoint
  /// starts a new chain with full snapshots. Deltas would build on what
  /// the restarted instances no longer hold when the restore went back
  /// past newer checkpoints (S4).
  void restart_chain() {
    last_started_.reset();
    chain_length_ = 0;
  }

  size_t in_flight() const noexcept { return in_flight_.size(); }

  bool is_in_flight(checkpoint_id id) const { return in_flight_.count(id) > 0; }

  std::optional<checkpoint_plan> last_completed() const noexcept {
    return last_completed_;
  }

private:
  struct flight {
    checkpoint_plan plan;
    std::set<std::pair<uint32_t, uint32_t>> acked;
    uint64_t bytes = 0;
  };

  size_t instances_;
  size_t max_concurrent_;
  uint32_t full_every_;
  checkpoint_id next_{1};
  std::map<checkpoint_id, flight> in_flight_;
  std::optional<checkpoint_plan> last_completed_;
  /// The newest plan started: the base of the next delta while its chain
  /// holds.
  std::optional<checkpoint_plan> last_started_;
  uint32_t chain_length_ = 0; ///< Checkpoints in the current chain.
};

} // namespace sluice::protocol
