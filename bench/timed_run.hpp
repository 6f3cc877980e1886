#pragma once

#include <caf/actor_system.hpp>
#include <caf/expected.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <sluice.hpp>

namespace sluice::bench {

/// Called about once per millisecond while a job runs, and once more after
/// it ended, from the thread that waits for it: for reading
/// `job_handle::metrics()`, which live only as long as the handle.
using job_watcher = std::function<void(const job_handle&)>;

/// How long a benchmark job may take before it counts as hung.
inline constexpr std::chrono::minutes job_patience{2};

/// Starts `job` (resumed as `from` says) and waits until it ends by itself
/// (its sources are bounded, by count or by `timed_source`): its report,
/// or why it failed. A job still running after `job_patience` is stopped
/// and fails the run as hung.
[[nodiscard]] caf::expected<job_report>
run_to_end(const job_builder& job, caf::actor_system& sys,
           resume from = resume::fresh(), const job_watcher& watch = {});

/// The offset (records produced) of each instance of source `stage`, by
/// instance index.
[[nodiscard]] std::vector<uint64_t> offsets_of(const job_report& report,
                                               const std::string& stage);

/// Fails unless `actual == expected`; `what` names the figure.
[[nodiscard]] caf::error expect_equal(const std::string& what, uint64_t actual,
                                      uint64_t expected);

} // namespace sluice::bench
