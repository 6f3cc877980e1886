#include "api/job_builder.hpp"

#include "actors/job_runner.hpp"
#include "protocol/errc.hpp"

#include <caf/all.hpp>

namespace sluice {

const std::string& job_builder::add_stage(stage_decl decl) {
  stages_.push_back(std::move(decl));
  return stages_.back().node.name;
}

stage_decl* job_builder::find_stage(const std::string& name) {
  for (auto& s : stages_)
    if (s.node.name == name)
      return &s;
  return nullptr;
}

void job_builder::reject(caf::error err) {
  if (!rejected_)
    rejected_ = std::move(err);
}

caf::expected<std::shared_ptr<const actors::job_plan>>
job_builder::plan() const {
  if (rejected_)
    return rejected_;
  if (settings_.batch_size == 0)
    return caf::make_error(protocol::errc::zero_batch_size,
                           "job '" + name_
                             + "': batch size must be at least 1 record");
  auto result = std::make_shared<actors::job_plan>();
  result->name = name_;
  result->key_groups = settings_.key_groups;
  std::vector<protocol::stage_node> nodes;
  for (auto& decl : stages_) {
    actors::stage_plan sp;
    sp.node = decl.node;
    sp.node.parallelism = decl.parallelism.value_or(settings_.parallelism);
    sp.node.batch_size = decl.batch_size.value_or(settings_.batch_size);
    sp.node.budget = decl.budget.value_or(settings_.max_buffered_records);
    sp.linger = decl.linger.value_or(settings_.batch_linger);
    sp.factory = decl.factory;
    sp.routes = decl.routes;
    nodes.push_back(sp.node);
    result->stages.push_back(std::move(sp));
  }
  auto topology = protocol::plan_topology(nodes, settings_.key_groups);
  if (!topology)
    return std::move(topology.error());
  result->topology = std::move(*topology);
  return std::shared_ptr<const actors::job_plan>{std::move(result)};
}

caf::expected<job_handle> job_builder::start(caf::actor_system& sys) const {
  auto p = plan();
  if (!p)
    return std::move(p.error());
  auto outcome = std::make_shared<actors::job_outcome>();
  auto runner = sys.spawn(actors::job_runner, std::move(*p), outcome);
  return job_handle{std::move(runner), std::move(outcome)};
}

caf::expected<job_report> job_builder::run(caf::actor_system& sys) const {
  auto handle = start(sys);
  if (!handle)
    return std::move(handle.error());
  return handle->wait();
}

} // namespace sluice
