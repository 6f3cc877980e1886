// A bounded job with exactly-once file output, for the process-level fault
// tests: killed at random moments and started again, it must end with each
// record published once.
//
//   exactly_once_child STORE OUTPUT_DIR
//
// Writes the indices 0 .. 199999 (two source instances) to OUTPUT_DIR/lines
// and the per-key counts (key = index % 100) to OUTPUT_DIR/counts.

#include "sluice.hpp"

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>

#include <iostream>

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: exactly_once_child STORE OUTPUT_DIR\n";
    return 2;
  }
  caf::actor_system_config cfg;
  sluice::announce(cfg);
  cfg.set("scheduler.max-threads", 2);
  caf::actor_system sys{cfg};
  sluice::job_builder job{"exactly once"};
  auto& cp = job.settings().checkpoints;
  cp.store = argv[1];
  cp.interval = std::chrono::milliseconds(30);
  std::string out = argv[2];
  auto spec
    = sluice::generate(200000, 1, [](uint64_t i, uint64_t) { return i; });
  spec.rate(200000);
  auto src = job.source("src", spec).parallelism(2);
  src.commit_files("lines", out + "/lines").parallelism(2);
  src.key_by([](uint64_t x) { return x % 100; })
    .count("count")
    .parallelism(2)
    .commit_files("counts", out + "/counts");
  auto handle = job.start(sys);
  if (!handle) {
    std::cerr << sluice::describe(handle.error()) << std::endl;
    return 1;
  }
  std::cout << "started" << std::endl;
  auto report = handle->wait();
  if (!report) {
    std::cerr << sluice::describe(report.error()) << std::endl;
    return 1;
  }
  std::cout << "finished" << std::endl;
  return 0;
}
