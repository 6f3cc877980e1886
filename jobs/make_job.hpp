#pragma once

#include "api/job_builder.hpp"
#include "config/job_spec.hpp"

namespace sluice::jobs {

/// A job builder declaring the stages of a validated job file, with its
/// name and engine settings. Every stage is a built-in operator on
/// `jobs::record`; key-by stages run no instances but make the stages that
/// read them read hash-partitioned by their field. `plan` and `start` on
/// the result check what only the engine can (budgets, key groups).
[[nodiscard]] job_builder make_job(const config::job_spec& spec);

} // namespace sluice::jobs
