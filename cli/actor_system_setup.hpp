#pragma once

#include "config/engine_settings.hpp"

#include <caf/actor_system_config.hpp>

namespace sluice::cli {

/// Prepares the actor system of a `sluice` process from its settings: the
/// protocol's types, the scheduler, and networking when `settings.cluster`
/// has nodes or `networking` says so (a node always has it), with
/// heartbeats on, so that a hung peer is noticed.
void configure_actor_system(caf::actor_system_config& cfg,
                            const config::engine_settings& settings,
                            bool networking = false);

} // namespace sluice::cli
