#include "api/job_builder.hpp"

#include "actors/ingress_gateway.hpp"
#include "actors/job_runner.hpp"
#include "protocol/errc.hpp"
#include "state/checkpoint_store.hpp"
#include "state/errc.hpp"
#include "state/restore_point.hpp"
#include "state/shape_check.hpp"

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

namespace {

/// Opens the job's store and loads what the job resumes from into `plan`:
/// only checkpoints taken with the plan's shape (S6).
caf::error prepare_resume(actors::job_plan& plan, resume from) {
  auto store = state::checkpoint_store::open(plan.checkpoints.store);
  if (!store)
    return std::move(store.error());
  if (auto err = store->discard_incomplete())
    return err;
  auto shape = plan.shape();
  if (from.what == resume::from::nothing) {
    plan.start_over = true;
    if (auto err = store->discard_after(protocol::checkpoint_id{0}))
      return err;
  } else {
    std::optional<protocol::checkpoint_id> wanted;
    if (from.what == resume::from::checkpoint)
      wanted = protocol::checkpoint_id{from.checkpoint};
    // Refused before any snapshot is read and decoded.
    if (auto err = state::check_shape(*store, plan.name, shape))
      return err;
    auto point = state::load_restore_point(*store, plan.name, wanted);
    if (point) {
      // What came after the restored checkpoint never happened for the
      // resumed job: a later restore must not pick it.
      if (auto err = store->discard_after(point->checkpoint.id))
        return err;
      plan.restored = std::make_shared<state::restore_point>(std::move(*point));
    } else if (from.what != resume::from::latest_if_any
               || point.error() != state::errc::no_checkpoint) {
      return std::move(point.error());
    } else {
      auto completed = store->completed();
      if (!completed)
        return std::move(completed.error());
      if (!completed->empty()) // there are checkpoints, none restorable
        return std::move(point.error());
    }
  }
  if (auto err = state::record_shape(*store, shape))
    return err;
  auto last = store->last_id();
  if (!last)
    return std::move(last.error());
  plan.first_checkpoint = protocol::checkpoint_id{*last + 1};
  return caf::none;
}

} // namespace

caf::expected<std::shared_ptr<const actors::job_plan>>
job_builder::plan(resume from) const {
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
    sp.ingress = decl.ingress;
    nodes.push_back(sp.node);
    result->stages.push_back(std::move(sp));
  }
  auto topology = protocol::plan_topology(nodes, settings_.key_groups);
  if (!topology)
    return std::move(topology.error());
  result->topology = std::move(*topology);
  result->metrics = std::make_shared<actors::job_metrics>();
  for (auto& sp : result->stages)
    for (uint32_t i = 0; i < sp.node.parallelism; ++i)
      result->metrics->add(sp.node.name, i, sp.node.budget);
  for (auto& n : settings_.cluster.nodes)
    result->metrics->add_node(n.name, config::to_string(n));
  result->cluster = settings_.cluster;
  result->checkpoints = settings_.checkpoints;
  result->log = std::make_shared<actors::event_log>(settings_.log, name_);
  result->restarts = settings_.restarts;
  result->latency_interval = settings_.latency_interval;
  result->faults = settings_.faults;
  result->faults_left = std::make_shared<std::atomic<uint32_t>>(
    settings_.faults.enabled() ? settings_.faults.count : 0);
  if (settings_.faults.enabled())
    result->log->warning("fault injection on: seed "
                         + std::to_string(settings_.faults.seed) + ", "
                         + std::to_string(settings_.faults.count) + " faults");
  if (result->checkpoints.enabled())
    if (auto err = prepare_resume(*result, from))
      return err;
  return std::shared_ptr<const actors::job_plan>{std::move(result)};
}

caf::expected<job_handle> job_builder::start(caf::actor_system& sys,
                                             resume from) const {
  auto p = plan(from);
  if (!p)
    return std::move(p.error());
  if ((*p)->cluster.enabled() && !sys.has_middleman())
    return caf::make_error(protocol::errc::unsupported,
                           "job '" + name_
                             + "' has nodes, but its actor system has no "
                               "networking: load caf::io::middleman");
  auto outcome = std::make_shared<actors::job_outcome>();
  // Ingress stages get their stable gateways before anything runs, so that
  // the handle can hand them out at once (rule I1).
  auto with_gateways = std::make_shared<actors::job_plan>(**p);
  for (auto& s : with_gateways->stages)
    if (s.ingress)
      s.gateway = sys.spawn<caf::detached>(actors::ingress_gateway, s.node.name,
                                           with_gateways->log);
  p = std::shared_ptr<const actors::job_plan>{with_gateways};
  auto plan_copy = *p;
  // Control actors get their own threads: CAF's work-stealing scheduler
  // puts actors woken from outside the pool (application threads, timers)
  // behind those the busy pipeline keeps waking, and under full load never
  // reaches them. A job must stay stoppable and checkpointable.
  auto runner
    = sys.spawn<caf::detached>(actors::job_runner, std::move(*p), outcome);
  return job_handle{std::move(runner), std::move(outcome),
                    std::move(plan_copy)};
}

caf::expected<job_report> job_builder::run(caf::actor_system& sys,
                                           resume from) const {
  auto handle = start(sys, from);
  if (!handle)
    return std::move(handle.error());
  return handle->wait();
}

} // namespace sluice
