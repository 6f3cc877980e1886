#include "protocol/end_of_job.hpp"

namespace sluice::protocol {

std::string to_string(job_end_phase x) {
  switch (x) {
  case job_end_phase::collecting:
    return "collecting";
  case job_end_phase::wanted:
    return "wanted";
  case job_end_phase::started:
    return "started";
  case job_end_phase::completed:
    return "completed";
  }
  return "?";
}

std::string to_string(final_at_failover x) {
  switch (x) {
  case final_at_failover::none:
    return "none";
  case final_at_failover::in_flight:
    return "in_flight";
  case final_at_failover::completed:
    return "completed";
  }
  return "?";
}

end_of_job::end_of_job(
  const std::vector<std::pair<uint32_t, uint32_t>>& sources,
  uint32_t incarnation) {
  for (auto& x : sources)
    incarnations_.emplace(x, incarnation);
}

bool end_of_job::on_source_finished(const source_incarnation& x) {
  auto i = incarnations_.find(key{x.stage, x.instance});
  // J1: only the current incarnation counts. A report of one that was
  // stopped for a restart may arrive after its successor started.
  if (i == incarnations_.end() || i->second != x.incarnation
      || phase_ != job_end_phase::collecting)
    return false;
  finished_.insert(i->first);
  if (finished_.size() < incarnations_.size())
    return false;
  phase_ = job_end_phase::wanted;
  return true;
}

void end_of_job::on_final_started(checkpoint_id id) {
  if (phase_ != job_end_phase::wanted)
    return;
  phase_ = job_end_phase::started;
  final_ = id;
}

bool end_of_job::on_completed(checkpoint_id id) {
  if (phase_ != job_end_phase::started || id != *final_)
    return false;
  phase_ = job_end_phase::completed;
  return true;
}

bool end_of_job::on_aborted(checkpoint_id id) {
  if (phase_ != job_end_phase::started || id != *final_ || paused_)
    return false;
  // J5: the sources sent the final barrier and their end of stream.
  phase_ = job_end_phase::collecting;
  return true;
}

final_at_failover end_of_job::on_failover() {
  paused_ = true;
  switch (phase_) {
  case job_end_phase::collecting:
    return final_at_failover::none;
  case job_end_phase::wanted:
    // J4: the restarted sources read again; they report anew.
    phase_ = job_end_phase::collecting;
    return final_at_failover::none;
  case job_end_phase::started:
    // J4: sources of every region may have ended their streams behind
    // the final barrier. Every region goes back, and every source must
    // report again, not only those of the region that failed.
    phase_ = job_end_phase::collecting;
    finished_.clear();
    return final_at_failover::in_flight;
  case job_end_phase::completed:
    return final_at_failover::completed;
  }
  return final_at_failover::none;
}

void end_of_job::on_restarted(
  const std::vector<std::pair<uint32_t, uint32_t>>& sources,
  uint32_t incarnation, std::optional<checkpoint_id> restored) {
  paused_ = false;
  for (auto& x : sources) {
    incarnations_[x] = incarnation;
    finished_.erase(x);
  }
  // J4: a restore that went back before the final checkpoint (it was
  // damaged) reopens the end of the job.
  if (phase_ == job_end_phase::completed && restored != final_) {
    phase_ = job_end_phase::collecting;
    final_.reset();
  }
  // J4: a source of a failing region may have reported during the
  // failover, before it was stopped: the restart takes that back.
  if (phase_ == job_end_phase::collecting || phase_ == job_end_phase::wanted)
    phase_ = finished_.size() == incarnations_.size()
               ? job_end_phase::wanted
               : job_end_phase::collecting;
}

} // namespace sluice::protocol
