#include "actors/node_actor.hpp"

#include "actors/node_gate.hpp"
#include "actors/node_listener.hpp"
#include "actors/stray_message.hpp"
#include "protocol/describe.hpp"
#include "protocol/peer_text.hpp"

#include <caf/all.hpp>
#include <caf/io/middleman.hpp>

namespace sluice::actors {

namespace {

using self_ptr = caf::stateful_actor<node_state>*;

/// Node to itself: time to close connections whose hello is overdue (N6).
using sweep_atom = caf::atom_constant<caf::atom("sweep")>;

/// How often overdue connections are looked for: a fraction of the
/// timeout, so that one closes at most a quarter late.
caf::timespan sweep_interval(const connection_watch& watch) {
  auto every = watch.limits().hello_timeout / 4;
  return std::max<caf::timespan>(every, std::chrono::milliseconds{10});
}

} // namespace

caf::behavior node_actor(caf::stateful_actor<node_state>* self,
                         std::shared_ptr<event_log> log,
                         std::shared_ptr<connection_watch> connections) {
  auto& state = self->state;
  state.log = std::move(log);
  state.connections = std::move(connections);
  // Only local actors can reach this one; still, nothing stray may end it.
  self->set_default_handler(
    [self](caf::scheduled_actor*,
           caf::message_view& x) -> caf::result<caf::message> {
      return drop_stray(*self->state.log, "the node", x);
    });
  self->set_error_handler([](caf::error&) {});
  self->set_down_handler([self](caf::down_msg& dm) {
    auto& st = self->state;
    auto i = st.jobs.find(dm.source);
    if (i == st.jobs.end())
      return;
    // N4: a job that ended says goodbye by exiting normally; anything
    // else means its process died or the connection broke.
    if (dm.reason == caf::exit_reason::normal
        || dm.reason == caf::exit_reason::user_shutdown)
      st.log->info("job '" + i->second + "' left");
    else
      st.log->warning("job '" + i->second
                      + "' lost: " + protocol::describe(dm.reason));
    st.jobs.erase(i);
  });
  if (state.connections)
    self->delayed_send(self, sweep_interval(*state.connections),
                       sweep_atom::value);
  return {
    [self](job_accepted& x) {
      auto& st = self->state;
      // N6: the connection this job came on waits no more. The middleman
      // knows the peer's address by its node.
      if (st.connections)
        self
          ->request(self->system().middleman().actor_handle(), caf::infinite,
                    caf::get_atom::value, x.watcher.node())
          .then(
            [self](const caf::node_id&, const std::string& host,
                   uint16_t port) {
              self->state.connections->on_authenticated(host, port);
            },
            [](caf::error&) {
              // The peer is gone already: nothing waits.
            });
      auto name = protocol::peer_text(x.job);
      if (st.jobs.emplace(x.watcher.address(), name).second) {
        self->monitor(x.watcher);
        st.log->info("job '" + name + "' joined");
      }
    },
    [self](sweep_atom) {
      auto& watch = *self->state.connections;
      watch.close_overdue(std::chrono::steady_clock::now());
      self->delayed_send(self, sweep_interval(watch), sweep_atom::value);
    },
  };
}

caf::expected<running_node> start_node(caf::actor_system& sys,
                                       const node_options& options,
                                       std::shared_ptr<event_log> log) {
  auto connections = std::make_shared<connection_watch>(
    sys.middleman().backend(), options.admission, log);
  running_node result;
  result.state = sys.spawn(node_actor, log, connections);
  result.gate
    = sys.spawn<node_gate>(options.name, options.secret, log, result.state);
  auto port = listen_for_jobs(sys, result.gate, options.bind, options.port,
                              connections);
  if (!port) {
    stop_node(result);
    return std::move(port.error());
  }
  result.port = *port;
  return result;
}

void stop_node(const running_node& node) {
  caf::anon_send(node.gate, close_gate{});
  caf::anon_send_exit(node.state, caf::exit_reason::user_shutdown);
}

} // namespace sluice::actors
