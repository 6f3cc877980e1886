// A job with its metrics server on: open the printed URL for the live
// dashboard, scrape /metrics with Prometheus, or run `sluice status URL`.
//
//   metrics_dashboard [--host ADDR] [--port N] [--seconds S] [--port-file F]
//
// Numbers are keyed and counted, with a checkpoint every second, into a sink
// slow enough that the stages in front of it show backpressure. It runs
// until Ctrl-C (or for S seconds), then stops the job and the server.

#include "observability/metrics_server.hpp"

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>

#include <sluice.hpp>
#include <unistd.h>

namespace {

struct options {
  sluice::metrics_server_settings metrics;
  double seconds = 0; ///< 0: until a signal.
  std::string port_file;
};

bool parse(int argc, char** argv, options& opts) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (i + 1 >= argc)
      return false;
    std::string value = argv[++i];
    if (arg == "--host")
      opts.metrics.host = value;
    else if (arg == "--port")
      opts.metrics.port = static_cast<uint16_t>(std::stoul(value));
    else if (arg == "--seconds")
      opts.seconds = std::stod(value);
    else if (arg == "--port-file")
      opts.port_file = value;
    else
      return false;
  }
  return true;
}

/// Scripts wait for the file to appear: it must never be seen half written.
void write_port_file(const std::string& path, uint16_t port) {
  auto tmp = path + ".tmp";
  std::ofstream{tmp} << port << '\n';
  std::filesystem::rename(tmp, path);
}

} // namespace

int main(int argc, char** argv) {
  options opts;
  if (!parse(argc, argv, opts)) {
    std::cerr << "usage: metrics_dashboard [--host ADDR] [--port N] "
                 "[--seconds S] [--port-file F]\n";
    return 2;
  }
  // Blocked before any thread exists, so every thread inherits the mask and
  // only the sigwait below sees SIGINT and SIGTERM.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  caf::actor_system_config cfg;
  sluice::announce(cfg);
  cfg.set("scheduler.max-throughput", 64); // timers must not starve
  caf::actor_system sys{cfg};

  auto store = std::filesystem::temp_directory_path()
               / ("metrics-dashboard-" + std::to_string(::getpid()) + ".db");
  sluice::job_builder job{"dashboard-demo"};
  job.settings().checkpoints.store = store.string();
  job.settings().checkpoints.interval = std::chrono::seconds{1};
  job.settings().batch_size = 256;
  job
    .source("numbers",
            sluice::generate(sluice::unbounded, 42,
                             [](uint64_t, uint64_t r) { return r % 10000; })
              .rate(200000))
    .map("square", [](uint64_t x) { return x * x; })
    .parallelism(2)
    .key_by([](uint64_t x) { return x % 1000; })
    .count("count")
    .parallelism(2)
    .for_each("slow sink",
              [n = uint64_t{0}](const std::pair<uint64_t, uint64_t>&) mutable {
                if (++n % 256 == 0)
                  std::this_thread::sleep_for(std::chrono::milliseconds{5});
              });
  auto graph = sluice::graph_of(job);
  if (!graph) {
    std::cerr << sluice::describe(graph.error()) << std::endl;
    return 1;
  }
  auto handle = job.start(sys);
  if (!handle) {
    std::cerr << sluice::describe(handle.error()) << std::endl;
    return 1;
  }
  sluice::metrics_server server{*handle, *graph, opts.metrics};
  auto port = server.start();
  if (!port) {
    std::cerr << sluice::describe(port.error()) << std::endl;
    handle->stop();
    static_cast<void>(handle->wait()); // the error above is what matters
    return 1;
  }
  std::cout << "dashboard: " << server.url() << "\nmetrics:   " << server.url()
            << "metrics\nstatus:    sluice status " << server.url()
            << std::endl;
  if (!opts.port_file.empty())
    write_port_file(opts.port_file, *port);

  if (opts.seconds > 0) {
    auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
      std::chrono::duration<double>(opts.seconds));
    timespec limit{static_cast<time_t>(ns.count() / 1000000000),
                   static_cast<long>(ns.count() % 1000000000)};
    sigtimedwait(&stop_signals, nullptr, &limit);
  } else {
    int sig = 0;
    sigwait(&stop_signals, &sig);
  }
  handle->stop();
  auto report = handle->wait();
  server.stop();
  std::filesystem::remove(store);
  for (auto suffix : {"-wal", "-shm"})
    std::filesystem::remove(store.string() + suffix);
  if (!report) {
    std::cerr << sluice::describe(report.error()) << std::endl;
    return 1;
  }
  std::cout << "stopped after " << report->completed_checkpoints()
            << " checkpoints" << std::endl;
  return 0;
}
