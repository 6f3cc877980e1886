#include "cli/actor_system_setup.hpp"
#include "cli/commands.hpp"
#include "cli/job_arguments.hpp"
#include "cli/listen_check.hpp"
#include "cli/progress_meter.hpp"
#include "cli/stop_signals.hpp"
#include "config/value_parsers.hpp"
#include "jobs/make_job.hpp"
#include "observability/metrics_server.hpp"
#include "protocol/describe.hpp"

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <thread>

#include <pthread.h>
#include <unistd.h>

namespace sluice::cli {

namespace {

constexpr const char* usage
  = R"(usage: sluice run JOB.ini [--fresh] [--progress-every=DURATION]
                [--section.key=value]...

Runs the job a job file describes until its sources end, or until SIGINT
(Ctrl-C) or SIGTERM stops it: the sources end their streams, every record
already read reaches the sinks, and a final checkpoint is taken. A second
signal exits at once, without one.

With a checkpoint store ([checkpoints] store), the job resumes from its
latest completed checkpoint, if any: sources read on from their stored
positions, operators start from their stored state, sinks drop what was not
committed.

  --fresh                    start from the beginning: discards the store's
                             checkpoints
  --progress-every=DURATION  when standard error is not a terminal, log a
                             progress line this often (default 10s; 0:
                             never); on a terminal, one live line is
                             redrawn four times a second

The command's own lines (started, progress, stopped) go to standard error
whatever [log] says. [log] level and file govern the job's event log:
timestamped lines for checkpoints, failures, recoveries and nodes.

Exit status: 0 when the job ended or was stopped, 1 when it failed or its
[metrics] port cannot be bound (then no job starts), 2 when the command line
or the job file is wrong (then no job starts).

)";

/// The stages whose figures make "records in" and "records out".
void stages_of(const config::job_spec& spec, std::vector<std::string>& sources,
               std::vector<std::string>& sinks) {
  for (auto& s : spec.stages) {
    if (s.kind() == config::stage_kind::source)
      sources.push_back(s.name);
    else if (s.kind() == config::stage_kind::sink)
      sinks.push_back(s.name);
  }
}

/// The job's end, in one line: how long, how many records, which
/// checkpoints.
std::string summary(const config::job_spec& spec, const job_report& report,
                    bool stopped) {
  std::vector<std::string> sources;
  std::vector<std::string> sinks;
  stages_of(spec, sources, sinks);
  uint64_t in = 0;
  uint64_t out = 0;
  for (auto& s : sources)
    in += report.records_in(s);
  for (auto& s : sinks)
    out += report.records_in(s);
  char seconds[32];
  std::snprintf(seconds, sizeof(seconds), "%.2f",
                std::chrono::duration<double>(report.elapsed).count());
  auto text = "job '" + spec.name + "' " + (stopped ? "stopped" : "finished")
              + " after " + seconds + " s: " + std::to_string(in)
              + " records in, " + std::to_string(out) + " out";
  for (auto& s : spec.stages)
    if (auto n = report.records_skipped(s.name); n > 0)
      text += ", " + std::to_string(n) + " skipped by '" + s.name + "'";
  std::optional<uint64_t> last;
  for (auto& c : report.checkpoints)
    if (c.completed)
      last = protocol::to_integer(c.id);
  if (last)
    text += ", " + std::string{stopped ? "final" : "last"} + " checkpoint "
            + std::to_string(*last);
  if (report.restored_from > 0)
    text += " (resumed from checkpoint " + std::to_string(report.restored_from)
            + ")";
  return text;
}

} // namespace

int run_command(const std::vector<std::string>& args) {
  auto parsed = parse_job_arguments(args, {"fresh", "progress-every="});
  if (!parsed) {
    print_error("run", protocol::describe(parsed.error()));
    return bad_input;
  }
  if (parsed->help) {
    std::cout << usage << engine_settings_help();
    return success;
  }
  std::chrono::nanoseconds progress_every = std::chrono::seconds{10};
  if (auto text = parsed->flag("progress-every")) {
    auto every = config::parse_duration(*text);
    if (!every) {
      print_error("run", "option '--progress-every': expected a duration such "
                         "as 5s, got '"
                           + *text + "'");
      return bad_input;
    }
    progress_every = *every;
  }
  auto spec = load_job(*parsed);
  if (!spec) {
    print_error("run", protocol::describe(spec.error()));
    return bad_input;
  }
  auto& endpoint = spec->settings.metrics;
  if (endpoint.enabled())
    if (auto problem = listen_problem(endpoint.bind, endpoint.port)) {
      print_error("run", "metrics endpoint: cannot listen on " + endpoint.bind
                           + ":" + std::to_string(endpoint.port) + ": "
                           + *problem);
      return job_failed;
    }
  auto job = jobs::make_job(*spec);
  // Signals go to `sigtimedwait` below. SIGUSR1 tells the main thread that
  // the job ended.
  auto signals = block_stop_signals({SIGUSR1});
  caf::actor_system_config cfg;
  configure_actor_system(cfg, spec->settings);
  caf::actor_system sys{cfg};
  auto from = parsed->flag("fresh") ? resume::fresh() : resume::latest_if_any();
  auto handle = job.start(sys, from);
  if (!handle) {
    print_error("run", protocol::describe(handle.error()));
    return bad_input;
  }
  auto& cp = spec->settings.checkpoints;
  log_line("job '" + spec->name + "' started"
           + (cp.enabled() ? ", checkpoints in " + cp.store : std::string{}));
  // The [metrics] endpoint. The port was free a moment ago; if another
  // process took it since, the job stops again: a job asked to be watched
  // does not run unwatched.
  std::unique_ptr<observability::metrics_server> metrics;
  if (spec->settings.metrics.enabled()) {
    auto graph = observability::graph_of(job);
    auto server
      = graph ? observability::serve_metrics(*handle, std::move(*graph),
                                             spec->settings.metrics)
              : caf::expected<std::unique_ptr<observability::metrics_server>>{
                graph.error()};
    if (server) {
      metrics = std::move(*server);
      log_line("metrics at " + metrics->url());
    } else {
      print_error("run", protocol::describe(server.error()));
      handle->stop();
      static_cast<void>(handle->wait()); // the error above says it all
      return job_failed;
    }
  }
  std::vector<std::string> sources;
  std::vector<std::string> sinks;
  stages_of(*spec, sources, sinks);
  progress_meter meter{handle->metrics(), sources, sinks, cp.enabled()};
  std::optional<caf::expected<job_report>> result;
  auto main_thread = pthread_self();
  std::thread waiter{[&] {
    result.emplace(handle->wait());
    pthread_kill(main_thread, SIGUSR1);
  }};
  bool terminal = ::isatty(STDERR_FILENO) == 1;
  // Samples four times a second; a terminal sees each, a log every
  // `progress_every`.
  constexpr auto tick = std::chrono::milliseconds{250};
  auto next_log = progress_meter::clock::now() + progress_every;
  bool stopping = false;
  bool line_open = false;
  for (;;) {
    timespec timeout{0, std::chrono::nanoseconds{tick}.count()};
    auto sig = sigtimedwait(&signals, nullptr, &timeout);
    if (sig == SIGUSR1)
      break;
    if (sig == SIGINT || sig == SIGTERM) {
      if (line_open) {
        std::cerr << "\n";
        line_open = false;
      }
      if (stopping) {
        log_line("second signal: exiting now, without a final checkpoint");
        std::_Exit(128 + sig);
      }
      stopping = true;
      log_line(std::string{"stopping on "}
               + (sig == SIGINT ? "SIGINT" : "SIGTERM") + ": draining the job"
               + (cp.enabled() ? ", then a final checkpoint" : std::string{}));
      handle->stop();
      continue;
    }
    if (sig >= 0)
      continue;
    // The timeout: time for a sample.
    meter.sample();
    if (terminal) {
      std::cerr << "\r\033[K" << meter.line() << std::flush;
      line_open = true;
    } else if (progress_every.count() > 0
               && progress_meter::clock::now() >= next_log) {
      next_log += progress_every;
      log_line("progress: " + meter.line());
    }
  }
  waiter.join();
  if (line_open) {
    meter.sample();
    std::cerr << "\r\033[K" << meter.line() << "\n";
  }
  auto& report = *result;
  if (!report) {
    print_error("run", "job '" + spec->name
                         + "' failed: " + protocol::describe(report.error()));
    return job_failed;
  }
  log_line(summary(*spec, *report, stopping));
  return success;
}

} // namespace sluice::cli
