#include "actors/event_log.hpp"
#include "actors/node_actor.hpp"
#include "cli/actor_system_setup.hpp"
#include "cli/commands.hpp"
#include "cli/job_arguments.hpp"
#include "cli/stop_signals.hpp"
#include "config/node_spec.hpp"
#include "protocol/describe.hpp"

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/io/middleman.hpp>
#include <caf/send.hpp>

#include <csignal>
#include <iostream>
#include <memory>

namespace sluice::cli {

namespace {

constexpr const char* usage
  = R"(usage: sluice node NODE.ini [--section.key=value]...

Starts a worker node: it listens on [node] bind and port for jobs whose job
file lists it under [nodes], checks that they present the [cluster] secret,
and watches them until SIGINT or SIGTERM stops it. Its event log ([log])
has a line for each job that joins, leaves or is lost.

A node file:

  [node]
  name = worker_a      ; default: the file's name
  bind = 127.0.0.1     ; default: the loopback interface only
  port = 7001          ; 0: any free port, printed at start

  [cluster]
  secret = ...         ; the same in the job files that list this node

Exit status: 0 when a signal stopped it, 1 when it could not listen, 2 when
the command line or the node file is wrong.

)";

} // namespace

int node_command(const std::vector<std::string>& args) {
  auto parsed = parse_job_arguments(args, {});
  if (!parsed) {
    print_error("node", protocol::describe(parsed.error()));
    return bad_input;
  }
  if (parsed->help) {
    std::cout << usage;
    return success;
  }
  auto spec = config::read_node_file(parsed->file, parsed->overrides);
  if (!spec) {
    print_error("node", protocol::describe(spec.error()));
    return bad_input;
  }
  auto signals = block_stop_signals(); // for the sigwait below
  caf::actor_system_config cfg;
  configure_actor_system(cfg, spec->settings, true);
  caf::actor_system sys{cfg};
  auto log
    = std::make_shared<actors::event_log>(spec->settings.log, spec->name);
  auto node = sys.spawn(actors::node_actor, spec->name,
                        spec->settings.cluster.secret, log);
  auto port
    = sys.middleman().publish(node, spec->port, spec->bind.c_str(), true);
  if (!port) {
    print_error("node", "node '" + spec->name + "' cannot listen on "
                          + spec->bind + ":" + std::to_string(spec->port) + ": "
                          + protocol::describe(port.error()));
    caf::anon_send_exit(node, caf::exit_reason::user_shutdown);
    return job_failed;
  }
  auto where = spec->bind + ":" + std::to_string(*port);
  log_line("node '" + spec->name + "' listening on " + where);
  log->info("listening on " + where);
  int sig = 0;
  sigwait(&signals, &sig);
  log_line("node '" + spec->name + "' stopping on "
           + (sig == SIGINT ? "SIGINT" : "SIGTERM"));
  log->info("stopped");
  caf::anon_send_exit(node, caf::exit_reason::user_shutdown);
  return success;
}

} // namespace sluice::cli
