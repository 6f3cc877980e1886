#include "cli/actor_system_setup.hpp"

#include "api/announce.hpp"

#include <caf/io/middleman.hpp>
#include <caf/timespan.hpp>

#include <algorithm>
#include <thread>

namespace sluice::cli {

void configure_actor_system(caf::actor_system_config& cfg,
                            const config::engine_settings& settings,
                            bool networking) {
  announce(cfg);
  auto& sched = settings.scheduler;
  auto threads = sched.threads > 0
                   ? sched.threads
                   : std::max(1u, std::thread::hardware_concurrency());
  cfg.set("scheduler.max-threads", static_cast<int64_t>(threads));
  cfg.set("scheduler.max-throughput",
          static_cast<int64_t>(sched.max_throughput));
  if (!networking && !settings.cluster.enabled())
    return;
  cfg.load<caf::io::middleman>();
  // Without heartbeats on both sides a hung peer is never noticed: its
  // connection stays open and its actors look alive.
  auto& cluster = settings.cluster;
  cfg.set("middleman.heartbeat-interval",
          caf::timespan{cluster.heartbeat_interval});
  cfg.set("middleman.connection-timeout",
          caf::timespan{cluster.connection_timeout});
}

} // namespace sluice::cli
