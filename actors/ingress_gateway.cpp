#include "actors/ingress_gateway.hpp"

#include "actors/atoms.hpp"
#include "actors/stray_message.hpp"
#include "protocol/ingress_messages.hpp"

#include <caf/all.hpp>

#include <algorithm>
#include <optional>

namespace sluice::actors {

namespace {

using self_ptr = caf::stateful_actor<ingress_gateway_state>*;

const caf::actor& route(self_ptr self, uint64_t producer) {
  auto& xs = self->state.instances;
  return xs[producer % xs.size()];
}

} // namespace

caf::behavior ingress_gateway(caf::stateful_actor<ingress_gateway_state>* self,
                              std::string stage,
                              std::shared_ptr<event_log> log) {
  self->state.stage = std::move(stage);
  self->state.log = std::move(log);
  self->set_default_handler([self](caf::scheduled_actor*, caf::message_view& x)
                              -> caf::result<caf::message> {
    auto producer = protocol::ingress_producer_of(x.content());
    if (!producer)
      return drop_stray(*self->state.log,
                        "the gateway of stage '" + self->state.stage + "'", x);
    if (self->state.instances.empty()) {
      self->state.early.emplace_back(self->current_sender(),
                                     x.move_content_to_message());
      return caf::message{};
    }
    // Delegated: the instance sees the producer as the sender.
    return self->delegate(route(self, *producer), x.move_content_to_message());
  });
  // An instance that failed takes its producers' messages with it; until
  // the runner names the restarted instances, the gateway holds new ones.
  self->set_down_handler([self](caf::down_msg& dm) {
    auto& xs = self->state.instances;
    if (dm.reason != caf::exit_reason::normal
        && std::any_of(xs.begin(), xs.end(),
                       [&](const caf::actor& x) { return x == dm.source; }))
      xs.clear();
  });
  return {
    [=](instances_atom, std::vector<caf::actor>& instances) {
      auto& st = self->state;
      st.instances = std::move(instances);
      for (auto& x : st.instances)
        self->monitor(x);
      // Sent on in the producer's name, as a delegation would: a rejection
      // must reach the producer, not the gateway.
      for (auto& [sender, msg] : st.early)
        if (auto producer = protocol::ingress_producer_of(msg.content()))
          caf::actor_cast<caf::abstract_actor*>(route(self, *producer))
            ->enqueue(sender, caf::make_message_id(), std::move(msg),
                      self->context());
      st.early.clear();
    },
  };
}

} // namespace sluice::actors
