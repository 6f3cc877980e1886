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
  hello-timeout = 5s   ; a connection that presents no job's secret in
                       ; this time is closed
  max-pending-connections = 64 ; at most this many wait for their hello;
                       ; one more closes the oldest of them

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
  actors::node_options options;
  options.name = spec->name;
  options.secret = spec->settings.cluster.secret;
  options.bind = spec->bind;
  options.port = spec->port;
  options.admission.hello_timeout = spec->hello_timeout;
  options.admission.max_pending = spec->max_pending_connections;
  auto node = actors::start_node(sys, options, log);
  if (!node) {
    print_error("node", "node '" + spec->name + "' cannot listen on "
                          + spec->bind + ":" + std::to_string(spec->port) + ": "
                          + protocol::describe(node.error()));
    return job_failed;
  }
  auto where = spec->bind + ":" + std::to_string(node->port);
  log_line("node '" + spec->name + "' listening on " + where);
  log->info("listening on " + where);
  int sig = 0;
  sigwait(&signals, &sig);
  log_line("node '" + spec->name + "' stopping on "
           + (sig == SIGINT ? "SIGINT" : "SIGTERM"));
  log->info("stopped");
  actors::stop_node(*node);
  return success;
}

} // namespace sluice::cli
