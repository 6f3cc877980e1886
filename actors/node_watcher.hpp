#pragma once

#include "actors/event_log.hpp"
#include "actors/job_metrics.hpp"
#include "config/cluster_settings.hpp"

#include <caf/actor.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>

#include <memory>
#include <string>
#include <vector>

namespace sluice::actors {

/// A job's view of its nodes (`[nodes]`): joins each one (rules N1-N4),
/// watches it, logs when it joins or is lost, and joins it again after a
/// loss; ends with its job's `runner`. Needs the middleman
/// (`caf::io::middleman`) in the actor system.
///
///     connecting --welcome--> joined --down--> waiting --timer--> connecting
///     connecting --unreachable--> waiting
///     connecting --refused, or the wrong node--> refused (for good)
struct node_watcher_state {
  enum class phase { connecting, joined, waiting, refused };

  struct peer {
    config::node_address address;
    node_metrics* metrics = nullptr;
    caf::actor handle; ///< While joined.
    phase now = phase::connecting;
    /// This outage is logged already: one line per outage, not per retry.
    bool outage_logged = false;
  };

  std::string job;
  config::cluster_settings cluster;
  std::shared_ptr<event_log> log;
  std::vector<peer> peers;
};

caf::behavior node_watcher(caf::stateful_actor<node_watcher_state>* self,
                           caf::actor runner, std::string job,
                           config::cluster_settings cluster,
                           std::shared_ptr<job_metrics> metrics,
                           std::shared_ptr<event_log> log);

} // namespace sluice::actors
