#include "actors/job_metrics.hpp"

namespace sluice::actors {

instance_metrics& job_metrics::add(std::string stage, uint32_t instance,
                                   uint64_t budget) {
  instances_.push_back(
    std::make_unique<instance_metrics>(std::move(stage), instance, budget));
  return *instances_.back();
}

node_metrics& job_metrics::add_node(std::string name, std::string address) {
  nodes_.push_back(
    std::make_unique<node_metrics>(std::move(name), std::move(address)));
  return *nodes_.back();
}

void job_metrics::add_checkpoint(const checkpoint_stats& x) {
  (x.completed ? completed_ : aborted_).fetch_add(1, std::memory_order_relaxed);
  std::lock_guard<std::mutex> guard{mtx_};
  checkpoints_.push_back(x);
  if (checkpoints_.size() > checkpoint_history)
    checkpoints_.pop_front();
}

std::vector<checkpoint_stats> job_metrics::checkpoints() const {
  return recent_checkpoints(checkpoint_history);
}

std::vector<checkpoint_stats> job_metrics::recent_checkpoints(size_t n) const {
  std::lock_guard<std::mutex> guard{mtx_};
  auto first = checkpoints_.size() > n ? checkpoints_.size() - n : 0;
  return {checkpoints_.begin() + static_cast<std::ptrdiff_t>(first),
          checkpoints_.end()};
}

void job_metrics::add_recovery(const recovery_stats& x) {
  std::lock_guard<std::mutex> guard{mtx_};
  recoveries_.push_back(x);
}

std::vector<recovery_stats> job_metrics::recoveries() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return recoveries_;
}

uint64_t
job_metrics::sum(const std::string& stage,
                 std::atomic<uint64_t> instance_metrics::*field) const {
  uint64_t n = 0;
  for (auto& m : instances_)
    if (m->stage == stage)
      n += (m.get()->*field).load(std::memory_order_relaxed);
  return n;
}

void job_metrics::set_checkpoint_interval(std::chrono::nanoseconds interval,
                                          std::string reason, bool changed) {
  std::lock_guard<std::mutex> guard{mtx_};
  interval_.interval = interval;
  interval_.reason = std::move(reason);
  if (changed)
    ++interval_.changes;
}

void job_metrics::count_source_hold() {
  std::lock_guard<std::mutex> guard{mtx_};
  ++interval_.source_holds;
}

checkpoint_interval_figures job_metrics::checkpoint_interval() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return interval_;
}

} // namespace sluice::actors
