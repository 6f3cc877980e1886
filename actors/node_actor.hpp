#pragma once

#include "actors/event_log.hpp"

#include <caf/actor_addr.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>

namespace sluice::actors {

/// A worker node's published actor: jobs join through it (rules N1-N4).
/// It checks a job's secret and protocol version, and watches the jobs it
/// accepted, logging when one leaves or is lost.
struct node_state {
  std::string name;
  std::string secret;
  std::shared_ptr<event_log> log;
  /// The watcher of each job that joined, by address: its name.
  std::map<caf::actor_addr, std::string> jobs;
  /// Unexpected messages are logged at most once a second, so that a peer
  /// cannot flood the log; these came since the last line.
  std::chrono::steady_clock::time_point last_stray_logged;
  uint64_t strays_not_logged = 0;
};

caf::behavior node_actor(caf::stateful_actor<node_state>* self,
                         std::string name, std::string secret,
                         std::shared_ptr<event_log> log);

} // namespace sluice::actors
