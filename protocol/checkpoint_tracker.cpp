#include "protocol/checkpoint_tracker.hpp"

namespace sluice::protocol {

checkpoint_tracker::checkpoint_tracker(
  size_t instances, size_t max_concurrent, uint32_t full_every,
  std::optional<checkpoint_plan> last_completed, checkpoint_id first_id)
    : instances_(instances),
      max_concurrent_(max_concurrent == 0 ? 1 : max_concurrent),
      full_every_(full_every == 0 ? 1 : full_every),
      last_completed_(last_completed), last_started_(last_completed) {
  next_ = first_id;
  if (last_completed) {
    if (next_ <= last_completed->id)
      next_ = protocol::next(last_completed->id);
    // A restored job continues the chain of its checkpoint; the state it
    // restored is exactly that checkpoint's, so deltas build on it. Unless
    // ids of discarded checkpoints lie between (ids are never reused): a
    // chain runs through consecutive ids, so a new one starts.
    if (next_ == protocol::next(last_completed->id))
      chain_length_ = static_cast<uint32_t>(
        to_integer(last_completed->id) - to_integer(last_completed->base) + 1);
    else
      last_started_.reset();
  }
}

std::optional<checkpoint_plan> checkpoint_tracker::start(bool final) {
  if (in_flight_.size() >= max_concurrent_)
    return std::nullopt;
  checkpoint_plan plan;
  plan.id = next_;
  plan.final = final;
  next_ = protocol::next(next_);
  if (last_started_ && chain_length_ < full_every_) {
    plan.kind = snapshot_kind::delta;
    plan.base = last_started_->base;
    ++chain_length_;
  } else {
    plan.kind = snapshot_kind::full;
    plan.base = plan.id;
    chain_length_ = 1;
  }
  last_started_ = plan;
  in_flight_.emplace(plan.id, flight{plan, {}, 0});
  return plan;
}

std::vector<acknowledged_checkpoint>
checkpoint_tracker::on_ack(checkpoint_id id, uint32_t stage, uint32_t instance,
                           uint64_t bytes) {
  std::vector<acknowledged_checkpoint> completed;
  auto i = in_flight_.find(id);
  if (i == in_flight_.end())
    return completed;
  if (i->second.acked.emplace(stage, instance).second)
    i->second.bytes += bytes;
  return complete_in_order();
}

std::vector<acknowledged_checkpoint> checkpoint_tracker::complete_in_order() {
  std::vector<acknowledged_checkpoint> completed;
  // Complete in order: a checkpoint whose older sibling is still in flight
  // waits for it (its delta may build on it).
  while (!in_flight_.empty()) {
    auto& oldest = in_flight_.begin()->second;
    if (oldest.acked.size() < instances_)
      break;
    last_completed_ = oldest.plan;
    completed.push_back(acknowledged_checkpoint{oldest.plan, oldest.bytes});
    in_flight_.erase(in_flight_.begin());
  }
  return completed;
}

std::vector<checkpoint_id> checkpoint_tracker::abort(checkpoint_id id) {
  std::vector<checkpoint_id> aborted;
  auto i = in_flight_.find(id);
  if (i == in_flight_.end())
    return aborted;
  // Deltas started after `id` may build on it: they go too.
  for (auto j = i; j != in_flight_.end();) {
    if (j == i || j->second.plan.kind == snapshot_kind::delta) {
      aborted.push_back(j->first);
      j = in_flight_.erase(j);
    } else {
      ++j;
    }
  }
  // The next checkpoint starts a new chain: the aborted one's delta
  // tracking is gone from the instances.
  last_started_.reset();
  chain_length_ = 0;
  return aborted;
}

std::vector<checkpoint_id>
checkpoint_tracker::completion_failed(checkpoint_id id) {
  std::vector<checkpoint_id> doomed;
  for (auto& [later, f] : in_flight_)
    if (later > id && f.plan.kind == snapshot_kind::delta)
      doomed.push_back(later);
  last_started_.reset();
  chain_length_ = 0;
  return doomed;
}

} // namespace sluice::protocol
