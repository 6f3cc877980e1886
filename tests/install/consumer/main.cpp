// A program outside the project, built against the installed package.
#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>

#include <iostream>

#include <sluice/sluice.hpp>

int main() {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  sluice::job_builder job{"consumer"};
  auto out
    = job
        .source("numbers", sluice::generate(
                             100, 1, [](uint64_t i, uint64_t) { return i; }))
        .collect("sink");
  auto report = job.run(sys);
  if (!report) {
    std::cerr << sluice::describe(report.error()) << std::endl;
    return 1;
  }
  uint64_t sum = 0;
  for (auto x : out->records())
    sum += x;
  std::cout << "sum=" << sum << std::endl;
}
