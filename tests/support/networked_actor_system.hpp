#pragma once

#include "tests/support/actor_system_fixture.hpp"

#include <caf/io/middleman.hpp>
#include <caf/timespan.hpp>

#include <chrono>

namespace sluice::testing {

/// Whether an actor system shows its peers that it is alive.
enum class heartbeats { on, off };

/// The test actor system with networking. With heartbeats on, as `sluice
/// run` and `sluice node` set them in the tests' node files: every 100ms,
/// and a connection silent for 1s is lost.
struct networked_config : actor_system_fixture::config {
  explicit networked_config(heartbeats beats = heartbeats::on) {
    load<caf::io::middleman>();
    if (beats == heartbeats::on) {
      set("middleman.heartbeat-interval",
          caf::timespan{std::chrono::milliseconds{100}});
      set("middleman.connection-timeout",
          caf::timespan{std::chrono::seconds{1}});
    }
  }
};

} // namespace sluice::testing
