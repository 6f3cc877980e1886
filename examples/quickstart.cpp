// The embedding example of README.md, kept compiling.

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>

#include <iostream>

#include <sluice.hpp>

int main() {
  caf::actor_system_config cfg;
  sluice::announce(cfg);
  caf::actor_system sys{cfg};
  sluice::job_builder job{"even-squares"};
  auto squares
    = job
        .source(
          "numbers",
          sluice::generate(1000000, 42, [](uint64_t i, uint64_t) { return i; }))
        .filter("even", [](uint64_t x) { return x % 2 == 0; })
        .map("square", [](uint64_t x) { return x * x; })
        .parallelism(2)
        .collect("result");
  auto report = job.run(sys); // blocks until the job ended
  if (!report) {
    std::cerr << sluice::describe(report.error()) << std::endl;
    return 1;
  }
  std::cout << squares->size() << " squares" << std::endl;
}
