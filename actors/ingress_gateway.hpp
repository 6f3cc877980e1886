#pragma once

#include "actors/event_log.hpp"

#include <caf/actor.hpp>
#include <caf/behavior.hpp>
#include <caf/message.hpp>
#include <caf/stateful_actor.hpp>

#include <memory>
#include <string>
#include <vector>

namespace sluice::actors {

struct ingress_gateway_state {
  static inline const char* name = "sluice.ingress_gateway";
  std::string stage;
  std::shared_ptr<event_log> log;
  std::vector<caf::actor> instances;
  /// What arrived before the instances were known, with its sender.
  std::vector<std::pair<caf::strong_actor_ptr, caf::message>> early;
};

/// The stable address of an ingress stage (rule I1): instances come and go
/// with restarts, the gateway stays. It routes `ingress_open` and records
/// messages to instance `producer % parallelism`, so that one producer
/// always meets the same instance and its sequence numbers stay in one
/// place. The runner tells it the current instances (`instances_atom`);
/// from a failure of one of them until then, it holds what arrives.
/// Spawn it detached: application threads and actors outside the pool
/// must reach it under full load.
caf::behavior ingress_gateway(caf::stateful_actor<ingress_gateway_state>* self,
                              std::string stage,
                              std::shared_ptr<event_log> log);

} // namespace sluice::actors
