#include "actors/job_outcome.hpp"

namespace sluice::actors {

void job_outcome::set(caf::expected<job_report> result) {
  {
    std::lock_guard<std::mutex> guard{mtx_};
    if (result_)
      return;
    result_ = std::move(result);
  }
  cv_.notify_all();
}

caf::expected<job_report> job_outcome::wait() {
  std::unique_lock<std::mutex> guard{mtx_};
  cv_.wait(guard, [this] { return result_.has_value(); });
  return *result_;
}

bool job_outcome::wait_for(std::chrono::nanoseconds timeout) {
  std::unique_lock<std::mutex> guard{mtx_};
  return cv_.wait_for(guard, timeout, [this] { return result_.has_value(); });
}

bool job_outcome::done() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return result_.has_value();
}

} // namespace sluice::actors
