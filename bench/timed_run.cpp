#include "bench/timed_run.hpp"

#include <caf/sec.hpp>

namespace sluice::bench {

caf::expected<job_report> run_to_end(const job_builder& job,
                                     caf::actor_system& sys, resume from,
                                     const job_watcher& watch) {
  auto handle = job.start(sys, from);
  if (!handle)
    return std::move(handle.error());
  auto deadline = std::chrono::steady_clock::now() + job_patience;
  bool ended = false;
  if (watch) {
    while (!ended && std::chrono::steady_clock::now() < deadline) {
      watch(*handle);
      ended = handle->wait_for(std::chrono::milliseconds{1});
    }
  } else {
    ended = handle->wait_for(job_patience);
  }
  if (!ended) {
    handle->stop();
    // Only to free the actor system; the run has failed either way.
    static_cast<void>(handle->wait_for(std::chrono::seconds{10}));
    return caf::make_error(caf::sec::request_timeout,
                           "job '" + job.name()
                             + "' did not end within 2 "
                               "minutes");
  }
  if (watch)
    watch(*handle);
  return handle->wait();
}

std::vector<uint64_t> offsets_of(const job_report& report,
                                 const std::string& stage) {
  std::vector<uint64_t> result;
  for (auto& x : report.instances)
    if (x.stage == stage) {
      if (result.size() <= x.instance)
        result.resize(x.instance + 1);
      result[x.instance] = x.offset;
    }
  return result;
}

caf::error expect_equal(const std::string& what, uint64_t actual,
                        uint64_t expected) {
  if (actual == expected)
    return caf::none;
  return caf::make_error(caf::sec::runtime_error,
                         what + ": " + std::to_string(actual) + ", expected "
                           + std::to_string(expected));
}

} // namespace sluice::bench
