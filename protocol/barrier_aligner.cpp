#include "protocol/barrier_aligner.hpp"

#include <cassert>

namespace sluice::protocol {

std::string to_string(align_result x) {
  switch (x) {
  case align_result::wait:
    return "wait";
  case align_result::snapshot:
    return "snapshot";
  case align_result::abort_pending:
    return "abort_pending";
  case align_result::ignore_stale:
    return "ignore_stale";
  }
  return "align_result(" + std::to_string(static_cast<int>(x)) + ")";
}

barrier_aligner::barrier_aligner(size_t num_inputs, checkpoint_mode mode)
    : delivered_(num_inputs, false), closed_(num_inputs, false),
      blocked_(num_inputs, false), mode_(mode) {}

void barrier_aligner::start(checkpoint_id id) {
  pending_ = id;
  waiting_for_ = 0;
  for (size_t i = 0; i < delivered_.size(); ++i) {
    delivered_[i] = closed_[i];
    blocked_[i] = false;
    if (!closed_[i])
      ++waiting_for_;
  }
}

align_result barrier_aligner::on_barrier(checkpoint_id id, uint32_t input) {
  assert(input < delivered_.size() && "barrier on unknown input");
  // A3: a checkpoint at or before the last snapshot carries nothing new.
  if (last_ && id <= *last_)
    return align_result::ignore_stale;
  if (pending_ && id < *pending_)
    return align_result::ignore_stale;
  auto result = align_result::wait;
  if (!pending_) {
    start(id);
  } else if (id > *pending_) {
    // A2: the coordinator gave up on the pending checkpoint and started a
    // newer one; its barrier replaces the old on every input.
    start(id);
    result = align_result::abort_pending;
  }
  if (!delivered_[input]) {
    delivered_[input] = true;
    --waiting_for_;
  }
  if (waiting_for_ == 0)
    return result == align_result::abort_pending ? result
                                                 : align_result::snapshot;
  // A1: exactly-once holds the input back until every barrier arrived.
  blocked_[input] = mode_ == checkpoint_mode::exactly_once;
  return result;
}

align_result barrier_aligner::on_input_closed(uint32_t input) {
  assert(input < delivered_.size() && "end of stream on unknown input");
  if (closed_[input])
    return align_result::wait;
  closed_[input] = true;
  blocked_[input] = false;
  if (!pending_ || delivered_[input])
    return align_result::wait;
  // A4: a closed input delivers no more barriers; it counts as aligned.
  delivered_[input] = true;
  if (--waiting_for_ == 0)
    return align_result::snapshot;
  return align_result::wait;
}

bool barrier_aligner::ready() const noexcept {
  return pending_ && waiting_for_ == 0;
}

void barrier_aligner::snapshot_taken() {
  assert(pending_ && "snapshot without a pending checkpoint");
  last_ = pending_;
  pending_.reset();
  for (size_t i = 0; i < blocked_.size(); ++i)
    blocked_[i] = false;
}

} // namespace sluice::protocol
