#pragma once

#include "actors/event_log.hpp"
#include "protocol/connection_admission.hpp"

#include <caf/actor.hpp>
#include <caf/actor_addr.hpp>
#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/expected.hpp>
#include <caf/stateful_actor.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <string>

namespace sluice::actors {

class connection_watch;

/// Gate to node: a job presented the secret (N1); `watcher` is its
/// `node_watcher`. Local only: it has no type ID, so no peer can send it.
struct job_accepted {
  caf::actor watcher;
  std::string job;
};

/// A worker node's state (rules N1-N6): the jobs that joined, watched until
/// they leave or are lost, and the connections that have yet to
/// authenticate. Its handle never leaves the process, so no peer can
/// address it: peers reach only the `node_gate`, which hands it accepted
/// jobs.
struct node_state {
  std::shared_ptr<event_log> log;
  std::shared_ptr<connection_watch> connections;
  /// The watcher of each job that joined, by address: its name, as safe
  /// to log.
  std::map<caf::actor_addr, std::string> jobs;
};

caf::behavior node_actor(caf::stateful_actor<node_state>* self,
                         std::shared_ptr<event_log> log,
                         std::shared_ptr<connection_watch> connections);

/// What a node needs to serve: `[node]` and `[cluster]` of its file.
struct node_options {
  std::string name;
  std::string secret;
  std::string bind = "127.0.0.1";
  uint16_t port = 0; ///< 0: any free port.
  protocol::admission_limits admission;
};

/// A node serving in an actor system: its gate, published on `port`, and
/// its state. `stop_node` ends both.
struct running_node {
  caf::actor gate;
  caf::actor state;
  uint16_t port = 0;
};

/// Starts a node in `sys` (which must have the middleman loaded) and
/// listens for jobs on `options.bind` and `options.port`, closing
/// connections that do not authenticate in time (N6).
[[nodiscard]] caf::expected<running_node>
start_node(caf::actor_system& sys, const node_options& options,
           std::shared_ptr<event_log> log);

/// Ends a started node's actors; the port closes with them.
void stop_node(const running_node& node);

} // namespace sluice::actors

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(sluice::actors::job_accepted)
