#pragma once

#include "api/announce.hpp"
#include "tests/support/failure_text.hpp"

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/expected.hpp>

#include <chrono>
#include <string>

namespace sluice::testing {

/// A real actor system with two scheduler threads, as on the machines the
/// engine targets. Job tests run on real threads: what they check (credit,
/// backpressure, order under concurrency) needs real scheduling.
struct actor_system_fixture {
  struct config : caf::actor_system_config {
    config() {
      announce(*this);
      set("scheduler.max-threads", 2);
      set("scheduler.max-throughput", 64);
      set("logger.console", caf::atom("none"));
    }
  };

  config cfg;
  caf::actor_system sys{cfg};

  /// Upper bound for a test job; far above what any test needs, so that a
  /// hang fails the test instead of the whole suite.
  static constexpr std::chrono::seconds job_timeout{120};
};

} // namespace sluice::testing
