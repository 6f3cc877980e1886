#pragma once

#include "actors/event_log.hpp"
#include "actors/node_actor.hpp"
#include "tests/support/networked_actor_system.hpp"

#include <caf/actor_system.hpp>

#include <memory>
#include <string>

namespace sluice::testing {

/// A worker node's actor in an actor system of its own, as in a process of
/// its own, published on a free port of 127.0.0.1; it logs nothing and
/// takes jobs without a secret. `port` is 0 if publishing failed.
struct test_node {
  explicit test_node(const std::string& name) {
    config::log_settings quiet;
    quiet.level = config::log_level::off;
    actors::node_options options;
    options.name = name;
    if (auto started = actors::start_node(
          sys, options, std::make_shared<actors::event_log>(quiet, name))) {
      node = *started;
      port = started->port;
    }
  }

  ~test_node() { actors::stop_node(node); }

  test_node(const test_node&) = delete;
  test_node& operator=(const test_node&) = delete;

  networked_config cfg;
  caf::actor_system sys{cfg};
  actors::running_node node;
  uint16_t port = 0;
};

} // namespace sluice::testing
