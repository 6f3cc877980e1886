#pragma once

#include "actors/event_log.hpp"
#include "protocol/log_throttle.hpp"

#include <caf/actor.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/message.hpp>

#include <memory>
#include <string>

namespace sluice::actors {

/// Local to the gate: end now. Only this process can send it: it has no
/// type ID, so BASP cannot build it from a peer's bytes.
struct close_gate {};

/// What the gate made of a message it does not take from peers: the
/// message, to be logged (throttled) by the gate itself. Local only, as
/// `close_gate`.
struct peer_message_dropped {
  caf::message content;
};

/// The one actor a node publishes (rules N1, N5): it checks a job's hello
/// and hands accepted jobs to the node's `node_actor`, which no peer can
/// address. Everything else a peer sends is dropped before it reaches CAF's
/// handling, system messages included.
///
/// Why a filter in `enqueue`: in CAF 0.17 every peer that connects gets the
/// published actor's handle and may send it anything. An `exit_msg` with
/// `exit_reason::kill` ends any scheduled actor whatever its exit handler
/// says, `('sys', 'get', "info")` is answered by CAF itself, and a forged
/// `down_msg` looks like a genuine one. Handing a second, "real" actor only
/// to authenticated peers would not help: once its handle crossed the wire
/// it is in the actor registry, and any peer can address it by its (small,
/// sequential) id. So the published actor lets in only `node_hello` (and
/// the local `close_gate`) and turns everything else into
/// `peer_message_dropped`, and the node's state lives in an actor whose
/// handle never leaves the process.
class node_gate : public caf::event_based_actor {
public:
  /// `node` is the node's state (`node_actor`); `log` the node's log.
  node_gate(caf::actor_config& cfg, std::string name, std::string secret,
            std::shared_ptr<event_log> log, caf::actor node);

  void enqueue(caf::mailbox_element_ptr ptr, caf::execution_unit* eu) override;

  using caf::event_based_actor::enqueue;

  caf::behavior make_behavior() override;

  const char* name() const override { return "sluice.node_gate"; }

private:
  /// Writes `line` unless `throttle` holds it back (N5).
  void log_throttled(protocol::log_throttle& throttle, const std::string& line);

  std::string name_;
  std::string secret_;
  std::shared_ptr<event_log> log_;
  caf::actor node_;
  protocol::log_throttle refusals_;
  protocol::log_throttle strays_;
};

} // namespace sluice::actors

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(sluice::actors::close_gate)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(sluice::actors::peer_message_dropped)
