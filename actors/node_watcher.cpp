#include "actors/node_watcher.hpp"

#include "actors/errc.hpp"
#include "actors/stray_message.hpp"
#include "config/value_parsers.hpp"
#include "protocol/describe.hpp"
#include "protocol/node_messages.hpp"
#include "protocol/peer_text.hpp"

#include <caf/all.hpp>
#include <caf/defaults.hpp>
#include <caf/io/middleman.hpp>

#include <set>

namespace sluice::actors {

namespace {

using self_ptr = caf::stateful_actor<node_watcher_state>*;
using phase = node_watcher_state::phase;

/// Watcher to itself: time to try node `i` again.
using join_atom = caf::atom_constant<caf::atom("join")>;

std::string label(const node_watcher_state::peer& p) {
  return "node '" + p.address.name + "' (" + config::to_string(p.address) + ")";
}

std::string retry_text(self_ptr self) {
  return "trying again every "
         + config::format_duration(self->state.cluster.reconnect_interval);
}

void wait_and_retry(self_ptr self, size_t i) {
  self->state.peers[i].now = phase::waiting;
  self->delayed_send(self, self->state.cluster.reconnect_interval,
                     join_atom::value, i);
}

void unreachable(self_ptr self, size_t i, const std::string& why) {
  auto& p = self->state.peers[i];
  if (!p.outage_logged) {
    p.outage_logged = true;
    self->state.log->warning(label(p) + " is unreachable: " + why + "; "
                             + retry_text(self));
  } else {
    // One warning per outage; each attempt after it only for debugging.
    self->state.log->debug(label(p) + " still unreachable: " + why);
  }
  wait_and_retry(self, i);
}

/// N1, N3: a node that refuses the job, or is not the node the job file
/// names, will not change its mind; trying again would only hide the
/// mistake in the files.
void refused(self_ptr self, size_t i, const std::string& why) {
  auto& p = self->state.peers[i];
  p.now = phase::refused;
  self->state.log->error(label(p) + " " + why
                         + "; the job will not try it again");
}

void welcomed(self_ptr self, size_t i, caf::actor node,
              const protocol::node_welcome& w) {
  auto& p = self->state.peers[i];
  if (w.node != p.address.name) {
    refused(self, i,
            "is not that node: the node there is '"
              + protocol::peer_text(w.node) + "' ("
              + config::to_string(p.address.where) + ")");
    return;
  }
  p.handle = std::move(node);
  self->monitor(p.handle);
  p.now = phase::joined;
  p.outage_logged = false;
  p.metrics->up = true;
  p.metrics->joins.fetch_add(1, std::memory_order_relaxed);
  self->state.log->info(label(p) + " joined");
}

/// N1: connect, then present the job and the secret.
void join(self_ptr self, size_t i) {
  auto& st = self->state;
  auto& p = st.peers[i];
  p.now = phase::connecting;
  auto timeout = caf::duration{st.cluster.connection_timeout};
  self
    ->request(self->system().middleman().actor_handle(), timeout,
              caf::connect_atom::value, p.address.host, p.address.port)
    .then(
      [self, i, timeout](const caf::node_id&, caf::strong_actor_ptr& ptr,
                         const std::set<std::string>&) {
        auto node = caf::actor_cast<caf::actor>(ptr);
        if (!node) {
          unreachable(self, i, "nothing is published on that port");
          return;
        }
        auto& cluster = self->state.cluster;
        self
          ->request(node, timeout,
                    protocol::node_hello{self->state.job, cluster.secret,
                                         protocol::node_protocol_version})
          .then([self, i, node](
                  protocol::node_welcome& w) { welcomed(self, i, node, w); },
                [self, i](caf::error& err) {
                  if (err == errc::node_refused)
                    refused(self, i,
                            "refused the job: "
                              + protocol::peer_text(protocol::describe(err)));
                  else
                    unreachable(self, i, protocol::describe(err));
                });
      },
      [self, i](caf::error& err) {
        unreachable(self, i, protocol::describe(err));
      });
}

} // namespace

caf::behavior node_watcher(caf::stateful_actor<node_watcher_state>* self,
                           caf::actor runner, std::string job,
                           config::cluster_settings cluster,
                           std::shared_ptr<job_metrics> metrics,
                           std::shared_ptr<event_log> log) {
  auto& state = self->state;
  state.job = std::move(job);
  state.cluster = std::move(cluster);
  state.log = std::move(log);
  for (size_t i = 0; i < state.cluster.nodes.size(); ++i)
    state.peers.push_back({state.cluster.nodes[i],
                           metrics->nodes().at(i).get(),
                           {},
                           phase::connecting,
                           false});
  self->set_default_handler(
    [self](caf::scheduled_actor*,
           caf::message_view& x) -> caf::result<caf::message> {
      return drop_stray(*self->state.log, "the node watcher", x);
    });
  // Errors reach it only as answers, each handled where it was asked.
  self->set_error_handler([](caf::error&) {});
  self->monitor(runner);
  self->set_down_handler([self, runner = runner.address()](caf::down_msg& dm) {
    auto& st = self->state;
    if (dm.source == runner) {
      self->quit(dm.reason);
      return;
    }
    for (size_t i = 0; i < st.peers.size(); ++i) {
      auto& p = st.peers[i];
      if (p.now != phase::joined || p.handle.address() != dm.source)
        continue;
      p.handle = nullptr;
      p.metrics->up = false;
      p.metrics->losses.fetch_add(1, std::memory_order_relaxed);
      p.outage_logged = true;
      st.log->warning(label(p) + " lost: " + protocol::describe(dm.reason)
                      + "; " + retry_text(self));
      wait_and_retry(self, i);
    }
  });
  // N4: without heartbeats a hung node is never noticed, and a node whose
  // connection timeout is set drops this job's idle connection. `sluice
  // run` sets them; an embedding application must.
  auto heartbeat
    = caf::get_or(self->system().config(), "middleman.heartbeat-interval",
                  caf::defaults::middleman::heartbeat_interval);
  if (heartbeat.count() == 0)
    state.log->warning(
      "the actor system sends no heartbeats: a hung node will not be "
      "noticed, and nodes drop connections that stay silent; set "
      "middleman.heartbeat-interval and middleman.connection-timeout");
  for (size_t i = 0; i < state.peers.size(); ++i)
    join(self, i);
  return {
    [self](join_atom, size_t i) {
      if (i < self->state.peers.size()
          && self->state.peers[i].now == phase::waiting)
        join(self, i);
    },
  };
}

} // namespace sluice::actors
