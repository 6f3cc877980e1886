#include "observability/job_graph.hpp"

#include "api/job_builder.hpp"

namespace sluice::observability {

caf::expected<job_graph> graph_of(const job_builder& job) {
  // A copy without a store plans the same topology: resuming (which reads
  // and prunes the store) is what `start` adds when checkpoints are on.
  auto copy = job;
  copy.settings().checkpoints.store.clear();
  auto plan = copy.plan();
  if (!plan)
    return std::move(plan.error());
  auto& stages = (*plan)->stages;
  auto& topo = (*plan)->topology;
  job_graph result;
  result.job = job.name();
  for (auto s : topo.order) {
    auto& node = stages[s].node;
    result.stages.push_back({node.name, node.role, node.parallelism});
  }
  for (auto& e : topo.edges)
    result.edges.push_back(
      {stages[e.from].node.name, stages[e.to].node.name, e.by});
  return result;
}

job_graph graph_of(const actors::job_metrics& metrics, std::string job) {
  job_graph result;
  result.job = std::move(job);
  for (auto& m : metrics.instances()) {
    if (result.stages.empty() || result.stages.back().name != m->stage)
      result.stages.push_back({m->stage, protocol::stage_role::transform, 0});
    ++result.stages.back().parallelism;
  }
  return result;
}

} // namespace sluice::observability
