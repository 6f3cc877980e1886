#pragma once

#include "actors/instance_report.hpp"

#include <caf/expected.hpp>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>

namespace sluice::actors {

/// How a job ended, shared between its runner (which sets it once) and the
/// threads waiting for it.
class job_outcome {
public:
  void set(caf::expected<job_report> result);

  /// Blocks until the job ended.
  caf::expected<job_report> wait();

  /// Blocks until the job ended or `timeout` passed; true if it ended.
  bool wait_for(std::chrono::nanoseconds timeout);

  bool done() const;

private:
  mutable std::mutex mtx_;
  std::condition_variable cv_;
  std::optional<caf::expected<job_report>> result_;
};

} // namespace sluice::actors
