#include "actors/node_actor.hpp"

#include "actors/errc.hpp"
#include "actors/stray_message.hpp"
#include "protocol/describe.hpp"
#include "protocol/node_messages.hpp"

#include <caf/all.hpp>

#include <algorithm>

namespace sluice::actors {

namespace {

using self_ptr = caf::stateful_actor<node_state>*;

/// Compares in time that does not depend on where the texts differ, so
/// that timing does not leak the secret a byte at a time (only its length).
bool same_secret(const std::string& x, const std::string& y) {
  size_t diff = x.size() ^ y.size();
  for (size_t i = 0; i < std::max(x.size(), y.size()); ++i) {
    auto a = i < x.size() ? static_cast<unsigned char>(x[i]) : 0u;
    auto b = i < y.size() ? static_cast<unsigned char>(y[i]) : 0u;
    diff |= a ^ b;
  }
  return diff == 0;
}

caf::error refuse(self_ptr self, const protocol::node_hello& hello,
                  const std::string& why) {
  auto& st = self->state;
  st.log->warning("refused job '" + hello.job + "': " + why);
  return caf::make_error(errc::node_refused, why);
}

} // namespace

caf::behavior node_actor(caf::stateful_actor<node_state>* self,
                         std::string name, std::string secret,
                         std::shared_ptr<event_log> log) {
  auto& state = self->state;
  state.name = std::move(name);
  state.secret = std::move(secret);
  state.log = std::move(log);
  // Anyone who can reach the port can send anything: nothing a peer
  // sends may end the node or flood its log.
  self->set_default_handler(
    [self](caf::scheduled_actor*,
           caf::message_view& x) -> caf::result<caf::message> {
      auto& st = self->state;
      auto now = std::chrono::steady_clock::now();
      if (now - st.last_stray_logged < std::chrono::seconds{1}) {
        ++st.strays_not_logged;
        return caf::message{};
      }
      st.last_stray_logged = now;
      if (st.strays_not_logged > 0)
        st.log->warning("dropped " + std::to_string(st.strays_not_logged)
                        + " more unexpected messages");
      st.strays_not_logged = 0;
      return drop_stray(*st.log, "node '" + st.name + "'", x);
    });
  self->set_error_handler([self](caf::error& err) {
    self->state.log->warning("ignored an error from a peer: "
                             + protocol::describe(err));
  });
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
  return {
    [self](protocol::node_hello& hello) -> caf::result<protocol::node_welcome> {
      auto& st = self->state;
      // N2: versions must match; N1: so must secrets.
      if (hello.version != protocol::node_protocol_version)
        return refuse(self, hello,
                      "it speaks node protocol version "
                        + std::to_string(hello.version) + ", the node "
                        + std::to_string(protocol::node_protocol_version));
      if (!same_secret(hello.secret, st.secret))
        return refuse(self, hello, "the [cluster] secret does not match");
      auto watcher = caf::actor_cast<caf::actor>(self->current_sender());
      if (watcher && st.jobs.emplace(watcher.address(), hello.job).second) {
        self->monitor(watcher);
        st.log->info("job '" + hello.job + "' joined");
      }
      return protocol::node_welcome{st.name, protocol::node_protocol_version};
    },
  };
}

} // namespace sluice::actors
