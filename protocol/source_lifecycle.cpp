#include "protocol/source_lifecycle.hpp"

namespace sluice::protocol {

std::string to_string(source_phase x) {
  switch (x) {
  case source_phase::reading:
    return "reading";
  case source_phase::paused:
    return "paused";
  case source_phase::stopping:
    return "stopping";
  case source_phase::finished:
    return "finished";
  case source_phase::stopped:
    return "stopped";
  case source_phase::awaiting_final:
    return "awaiting_final";
  case source_phase::ended:
    return "ended";
  }
  return "?";
}

std::string to_string(source_answer x) {
  switch (x) {
  case source_answer::none:
    return "none";
  case source_answer::read:
    return "read";
  case source_answer::report_finished:
    return "report_finished";
  case source_answer::snapshot:
    return "snapshot";
  case source_answer::snapshot_final:
    return "snapshot_final";
  case source_answer::end_streams:
    return "end_streams";
  case source_answer::refuse:
    return "refuse";
  }
  return "?";
}

bool source_lifecycle::done_reading() const noexcept {
  return phase_ == source_phase::finished || phase_ == source_phase::stopped;
}

source_answer source_lifecycle::done() {
  // L3: with checkpoints the streams stay open for the final barrier, and
  // the coordinator hears once per incarnation that this one is done.
  return ending_ == source_ending::drain ? source_answer::none
                                         : source_answer::report_finished;
}

source_answer source_lifecycle::on_started(start_mode mode) {
  if (phase_ != source_phase::reading)
    return source_answer::refuse;
  if (mode == start_mode::job_done) {
    // L6: the final checkpoint it was restored from covers everything it
    // would read; records after that offset belong to no checkpoint.
    phase_ = source_phase::ended;
    return source_answer::end_streams;
  }
  return source_answer::read;
}

source_answer source_lifecycle::on_saturated() {
  if (phase_ == source_phase::reading)
    phase_ = source_phase::paused;
  return source_answer::none;
}

source_answer source_lifecycle::on_credit() {
  if (phase_ != source_phase::paused)
    return source_answer::none;
  phase_ = source_phase::reading;
  return source_answer::read;
}

source_answer source_lifecycle::on_input_ended() {
  switch (phase_) {
  case source_phase::reading:
  case source_phase::paused:
    phase_ = source_phase::finished;
    return done();
  case source_phase::stopping:
    phase_ = source_phase::stopped;
    return done();
  default:
    return source_answer::none;
  }
}

source_answer source_lifecycle::on_stop(bool accepted_left) {
  if (phase_ != source_phase::reading && phase_ != source_phase::paused)
    return source_answer::none; // already done reading, or stopping
  if (accepted_left) {
    phase_ = source_phase::stopping;
    return source_answer::read;
  }
  phase_ = source_phase::stopped;
  return done();
}

source_answer source_lifecycle::on_trigger(checkpoint_id id, bool final) {
  switch (phase_) {
  case source_phase::awaiting_final:
  case source_phase::ended:
    // L4: nothing follows the final barrier; a later trigger is stale.
    return source_answer::none;
  case source_phase::finished:
  case source_phase::stopped:
    if (!final)
      return source_answer::snapshot;
    phase_ = source_phase::awaiting_final;
    final_ = id;
    return source_answer::snapshot_final;
  default:
    // L4: the final checkpoint comes only after every source reported
    // that it finished; a source that reads never gets its trigger.
    return final ? source_answer::refuse : source_answer::snapshot;
  }
}

source_answer source_lifecycle::on_committed(checkpoint_id id) {
  if (phase_ == source_phase::awaiting_final && id >= *final_)
    final_committed_ = true;
  return source_answer::none;
}

source_answer source_lifecycle::on_outputs_drained() {
  switch (phase_) {
  case source_phase::finished:
  case source_phase::stopped:
    if (ending_ != source_ending::drain)
      return source_answer::none; // waits for the final trigger
    break;
  case source_phase::awaiting_final:
    if (ending_ == source_ending::final_commit && !final_committed_)
      return source_answer::none;
    break;
  default:
    return source_answer::none;
  }
  phase_ = source_phase::ended;
  return source_answer::end_streams;
}

} // namespace sluice::protocol
