#pragma once

#include "actors/job_metrics.hpp"
#include "protocol/job_graph.hpp"
#include "protocol/partitioning.hpp"

#include <caf/expected.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace sluice {
class job_builder;
} // namespace sluice

namespace sluice::observability {

/// The shape of a job as the dashboard draws it: stages in topological
/// order (sources first) and the edges between them. Names only, so that
/// it can be rebuilt from the JSON a metrics server sends.
struct job_graph {
  std::string job; ///< The job's name.
  struct stage {
    std::string name;
    protocol::stage_role role = protocol::stage_role::transform;
    uint32_t parallelism = 1;
  };
  struct edge {
    std::string from;
    std::string to;
    protocol::partitioning by = protocol::partitioning::forward;
  };
  std::vector<stage> stages;
  std::vector<edge> edges;
};

/// The graph `job` runs, planned as `job_builder::start` would plan it but
/// without touching the job's checkpoint store. Errors are those `start`
/// reports for a bad graph.
[[nodiscard]] caf::expected<job_graph> graph_of(const job_builder& job);

/// What the live figures alone tell: the stages with their instance counts,
/// in spawn order, and no edges. For a `job_handle` without its builder.
job_graph graph_of(const actors::job_metrics& metrics, std::string job);

} // namespace sluice::observability
