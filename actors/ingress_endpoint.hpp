#pragma once

#include "protocol/checkpoint_id.hpp"
#include "protocol/ingress_messages.hpp"
#include "state/operator_value_state.hpp"

#include <caf/actor.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace sluice::actors {

/// What to do with a records message from a producer.
struct ingress_decision {
  /// Set: refuse the whole message with this reason (rule I5).
  std::optional<std::string> rejected;
  /// Records at the front that the job already has (re-sent): dropped.
  uint64_t duplicates = 0;
  /// Records after those: new, to queue.
  uint64_t fresh = 0;
};

/// The producers of one ingress instance: their credit, the sequence
/// numbers they are at, and what to acknowledge when a checkpoint
/// completes (rules I1-I6). Runs inside the instance's actor.
class ingress_endpoint {
public:
  /// `budget`: records the instance may hold queued plus granted.
  explicit ingress_endpoint(uint64_t budget);

  /// I6: the job is stopping: no more credit, and records that arrive
  /// are refused (the producer keeps them for the next run).
  void close() noexcept { closed_ = true; }

  /// I1: a producer (re)registers; its credit starts over.
  void open(uint64_t producer, caf::actor reply_to);

  /// I2, I3, I5: a records message of `count` records arrived.
  [[nodiscard]] ingress_decision on_records(const protocol::ingress_header& h,
                                            uint64_t count);

  /// `count` records of `producer` ending before `next_seq` left the queue
  /// for the dataflow: they are what a checkpoint from now on contains.
  void emitted(uint64_t producer, uint64_t next_seq, uint64_t count);

  /// Credit grants due now: (producer handle, message).
  std::vector<std::pair<caf::actor, protocol::ingress_credit>>
  grants(const caf::actor& instance);

  /// I4: a checkpoint is being taken: remember what it contains.
  void checkpoint_taken(protocol::checkpoint_id id);

  /// I4: a checkpoint completed: the acknowledgements it allows.
  std::vector<std::pair<caf::actor, protocol::ingress_ack>>
  checkpoint_committed(protocol::checkpoint_id id);

  /// The producer's handle for a rejection; null if unknown.
  caf::actor reply_to(uint64_t producer) const;

  /// Where a producer's records stand: the next sequence number the job
  /// expects from it.
  uint64_t next_seq(uint64_t producer) const;

  /// Records accepted and not yet emitted into the dataflow.
  uint64_t queued() const noexcept { return queued_; }

  /// Credit granted to producers and not yet used. With `queued`, never
  /// more than the budget (rule I3).
  uint64_t outstanding() const;

  /// The checkpointed part: per producer, the next sequence number after
  /// the records that entered the dataflow. Restored before any producer
  /// opens, it makes re-sent records duplicates.
  state::operator_value_state<std::map<uint64_t, uint64_t>>& positions() {
    return positions_;
  }

private:
  struct producer_state {
    caf::actor reply_to;
    uint64_t credit = 0;   ///< Granted, not yet used.
    uint64_t accepted = 0; ///< Next sequence number to accept.
  };

  uint64_t share() const;

  uint64_t budget_;
  bool closed_ = false;
  uint64_t queued_ = 0;
  std::map<uint64_t, producer_state> producers_;
  state::operator_value_state<std::map<uint64_t, uint64_t>> positions_;
  /// Positions at each checkpoint taken and not yet completed.
  std::map<protocol::checkpoint_id, std::map<uint64_t, uint64_t>> pending_;
};

} // namespace sluice::actors
