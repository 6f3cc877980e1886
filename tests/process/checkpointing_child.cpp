// A job that checkpoints often and runs until it is killed: the subject of
// the process-level fault tests. Resumes from its store when it can. Prints
// "started" once the job runs and "checkpointed" once this run completed a
// checkpoint.
//
//   checkpointing_child STORE
//
// Records are indices 0, 1, 2, ... from two source instances; a keyed
// counter (state "counts", key = index % 1000) behind a hash edge.

#include "sluice.hpp"

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>

#include <atomic>
#include <chrono>
#include <iostream>
#include <thread>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: checkpointing_child STORE\n";
    return 2;
  }
  caf::actor_system_config cfg;
  sluice::announce(cfg);
  cfg.set("scheduler.max-threads", 2);
  caf::actor_system sys{cfg};
  sluice::job_builder job{"killed"};
  auto& cp = job.settings().checkpoints;
  cp.store = argv[1];
  cp.interval = std::chrono::milliseconds(15);
  cp.full_every = 4;
  cp.retain = 2;
  job.settings().batch_size = 256;
  auto spec = sluice::generate(sluice::unbounded, 1,
                               [](uint64_t i, uint64_t) { return i; });
  spec.rate(200000);
  job.source("src", spec)
    .parallelism(2)
    .key_by([](uint64_t x) { return x % 1000; })
    .process<uint64_t>(
      "count",
      [](sluice::operators::state_context& ctx) {
        auto& counts = ctx.value_state<uint64_t, uint64_t>("counts");
        return [&counts](uint64_t x, sluice::emitter<uint64_t>&) {
          ++counts.get_or_init(x % 1000, [] { return uint64_t{0}; });
        };
      })
    .parallelism(2)
    .for_each("sink", [](uint64_t) {});
  auto handle = job.start(sys);
  if (!handle) {
    std::cerr << sluice::describe(handle.error()) << std::endl;
    return 1;
  }
  std::cout << "started" << std::endl;
  // Says when this run completed its first checkpoint: from then on the
  // store holds one to restore, whenever the run is killed.
  std::atomic<bool> ended{false};
  std::thread announcer{[&metrics = handle->metrics(), &ended] {
    while (!ended && metrics.checkpoints_completed() == 0)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    if (!ended)
      std::cout << "checkpointed" << std::endl;
  }};
  auto report = handle->wait(); // until killed
  ended = true;
  announcer.join();
  if (!report) {
    std::cerr << sluice::describe(report.error()) << std::endl;
    return 1;
  }
  return 0;
}
