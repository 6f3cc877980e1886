#include "protocol/restart_policy.hpp"

#include <algorithm>
#include <cmath>

namespace sluice::protocol {

void restart_policy::forget_before(time_point now) {
  while (!restarts_.empty() && now - restarts_.front() > limits_.window)
    restarts_.pop_front();
}

bool restart_policy::allows(time_point now) {
  forget_before(now);
  return limits_.max_restarts > 0 && restarts_.size() < limits_.max_restarts;
}

std::chrono::nanoseconds restart_policy::restart_at(time_point now) {
  forget_before(now);
  auto delay
    = std::min(static_cast<double>(limits_.max_backoff.count()),
               static_cast<double>(limits_.initial_backoff.count())
                 * std::pow(2.0, static_cast<double>(restarts_.size())));
  std::uniform_real_distribution<double> spread{-limits_.jitter,
                                                limits_.jitter};
  delay *= 1.0 + spread(random_);
  restarts_.push_back(now);
  return std::chrono::nanoseconds{static_cast<int64_t>(std::max(delay, 0.0))};
}

} // namespace sluice::protocol
