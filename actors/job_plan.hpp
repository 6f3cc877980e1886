#pragma once

#include "actors/event_log.hpp"
#include "actors/job_metrics.hpp"
#include "config/checkpoint_settings.hpp"
#include "config/cluster_settings.hpp"
#include "config/fault_settings.hpp"
#include "config/restart_settings.hpp"
#include "operators/instance_context.hpp"
#include "operators/stage_factory.hpp"
#include "protocol/job_graph.hpp"
#include "protocol/job_shape.hpp"
#include "protocol/source_lifecycle.hpp"
#include "state/restore_point.hpp"

#include <caf/actor.hpp>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace sluice::actors {

/// One stage, ready to run: its validated declaration, how long partial
/// batches may wait, and the factory of its instances' logic.
struct stage_plan {
  protocol::stage_node node;
  std::chrono::nanoseconds linger{0};
  std::shared_ptr<const operators::stage_factory> factory;
  /// Per declared input: the route of a hash edge, else null.
  std::vector<std::shared_ptr<const operators::edge_route_base>> routes;
  /// An ingress stage: fed by application actors through `gateway`.
  bool ingress = false;
  caf::actor gateway;
};

/// A validated job: everything needed to spawn (and later respawn) any
/// instance. Immutable and shared by all actors of the job.
struct job_plan {
  std::string name;
  std::vector<stage_plan> stages;
  protocol::topology topology;
  uint32_t key_groups = 128;
  config::checkpoint_settings checkpoints;
  /// The checkpoint the job resumes from, if any.
  std::shared_ptr<const state::restore_point> restored;
  /// The user asked to start from the beginning, discarding checkpoints.
  bool start_over = false;
  /// Id of the job's next checkpoint: above every id its store holds.
  protocol::checkpoint_id first_checkpoint{1};
  /// Live figures, one entry per instance in stage order.
  std::shared_ptr<job_metrics> metrics;
  /// The job's event log.
  std::shared_ptr<event_log> log;
  std::chrono::nanoseconds latency_interval{0};
  config::restart_settings restarts;
  config::fault_settings faults;
  /// The nodes the job watches; none: a job of this process alone.
  config::cluster_settings cluster;
  /// Faults left to inject, shared by all instances and restarts.
  std::shared_ptr<std::atomic<uint32_t>> faults_left;
  /// How many times the instances of this plan were restarted before; 0 for
  /// the first run. An instance's incarnation (rule J1).
  uint32_t attempt = 0;
  /// `job_done`: `restored` is the job's final checkpoint, which completed
  /// in this run; the instances spawned with this plan end (L6, O4).
  protocol::start_mode start = protocol::start_mode::fresh;

  instance_metrics& metrics_of(uint32_t stage, uint32_t instance) const;

  operators::instance_context context(uint32_t stage, uint32_t instance) const;

  /// What the job's checkpoints depend on (rule S6).
  protocol::job_shape shape() const;

  /// The outgoing edges of an instance of `stage`, in output slot order.
  std::vector<operators::out_edge> out_edges(uint32_t stage) const;

  /// Instances of all source stages.
  uint32_t source_instances() const;
};

} // namespace sluice::actors
