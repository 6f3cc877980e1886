#include "actors/job_plan.hpp"

namespace sluice::actors {

operators::instance_context job_plan::context(uint32_t stage,
                                              uint32_t instance) const {
  auto& node = stages.at(stage).node;
  operators::instance_context ctx;
  ctx.job = name;
  ctx.stage = node.name;
  ctx.instance = instance;
  ctx.parallelism = node.parallelism;
  ctx.batch_size = node.batch_size;
  ctx.budget = node.budget;
  ctx.groups = protocol::key_groups{key_groups};
  ctx.checkpointing = checkpoints.enabled();
  ctx.start_over = start_over;
  return ctx;
}

protocol::job_shape job_plan::shape() const {
  std::vector<protocol::stage_node> nodes;
  for (auto& sp : stages)
    nodes.push_back(sp.node);
  return protocol::shape_of(nodes, topology, key_groups);
}

instance_metrics& job_plan::metrics_of(uint32_t stage,
                                       uint32_t instance) const {
  size_t index = instance;
  for (uint32_t s = 0; s < stage; ++s)
    index += stages[s].node.parallelism;
  return *metrics->instances().at(index);
}

uint32_t job_plan::source_instances() const {
  uint32_t n = 0;
  for (auto& s : stages)
    if (s.node.role == protocol::stage_role::source)
      n += s.node.parallelism;
  return n;
}

std::vector<operators::out_edge> job_plan::out_edges(uint32_t stage) const {
  std::vector<operators::out_edge> result;
  for (auto index : topology.out_edges.at(stage)) {
    auto& e = topology.edges[index];
    operators::out_edge out;
    out.by = e.by;
    out.channels = e.by == protocol::partitioning::forward
                     ? 1
                     : stages[e.to].node.parallelism;
    out.route = stages[e.to].routes.at(e.input);
    result.push_back(std::move(out));
  }
  return result;
}

} // namespace sluice::actors
