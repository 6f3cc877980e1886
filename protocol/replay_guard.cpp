#include "protocol/replay_guard.hpp"

namespace sluice::protocol {

void replay_guard::on_snapshot(checkpoint_id id, uint64_t records) {
  taken_[id] = records;
}

void replay_guard::on_committed(checkpoint_id id) {
  // Older snapshots completed before it (C5) or were aborted: forgotten
  // either way. A commit of a checkpoint taken before this incarnation
  // started changes nothing: its restored count is the base already.
  auto i = taken_.find(id);
  if (i != taken_.end()) {
    base_ = std::max(base_, i->second);
    reported_ = false;
  }
  taken_.erase(taken_.begin(), taken_.upper_bound(id));
}

uint64_t replay_guard::may_read(uint64_t records) const noexcept {
  if (allowance_ == 0)
    return unlimited;
  auto limit = base_ + allowance_;
  return records >= limit ? 0 : limit - records;
}

bool replay_guard::on_held() {
  if (reported_)
    return false;
  reported_ = true;
  return true;
}

} // namespace sluice::protocol
