#include "protocol/operator_lifecycle.hpp"

namespace sluice::protocol {

std::string to_string(operator_phase x) {
  switch (x) {
  case operator_phase::running:
    return "running";
  case operator_phase::finished:
    return "finished";
  case operator_phase::ended:
    return "ended";
  }
  return "?";
}

operator_lifecycle::operator_lifecycle(operator_role role, start_mode mode,
                                       std::optional<checkpoint_id> restored)
    : role_(role), last_snapshot_(restored), last_committed_(restored) {
  // O4: its logic finished before the final snapshot it was restored
  // from; finishing again would emit the end of its input twice.
  if (mode == start_mode::job_done)
    phase_ = operator_phase::finished;
}

bool operator_lifecycle::on_final_aligned() {
  if (phase_ != operator_phase::running)
    return false;
  phase_ = operator_phase::finished;
  return true;
}

bool operator_lifecycle::on_inputs_ended() {
  return on_final_aligned();
}

void operator_lifecycle::on_snapshot(checkpoint_id id) {
  if (!last_snapshot_ || *last_snapshot_ < id)
    last_snapshot_ = id;
}

void operator_lifecycle::on_committed(checkpoint_id id) {
  if (!last_committed_ || *last_committed_ < id)
    last_committed_ = id;
}

bool operator_lifecycle::awaits_commit() const noexcept {
  return role_ == operator_role::sink && last_snapshot_
         && (!last_committed_ || *last_committed_ < *last_snapshot_);
}

bool operator_lifecycle::may_end(bool inputs_ended, bool outputs_drained,
                                 bool logic_drained) {
  if (phase_ != operator_phase::finished || !inputs_ended || !outputs_drained
      || !logic_drained || awaits_commit())
    return false;
  phase_ = operator_phase::ended;
  return true;
}

} // namespace sluice::protocol
