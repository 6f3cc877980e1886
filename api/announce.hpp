#pragma once

#include <caf/actor_system_config.hpp>

namespace sluice {

/// Announces Sluice's message types and error categories to CAF: needed
/// before a job spans processes, and it makes `actor_system::render` print
/// Sluice's errors readably. Call it on the config before creating the
/// actor system; local jobs run without it.
void announce(caf::actor_system_config& cfg);

} // namespace sluice
