// The `sluice` command. Jobs described by INI files come with the job-file
// format; until then it reports its version and what it can do.

#include "sluice.hpp"

#include <cstring>
#include <iostream>

namespace {

constexpr const char* usage = R"(usage: sluice [--help] [--version]

Sluice runs streaming dataflows of operator actors with credit-based
backpressure. Embed it in a C++ application with the job builder (see
README.md and examples/). Running jobs from INI files is not available in
this version.
)";

} // namespace

int main(int argc, char** argv) {
  if (argc == 2 && std::strcmp(argv[1], "--version") == 0) {
    std::cout << "sluice " << SLUICE_VERSION << std::endl;
    return 0;
  }
  if (argc == 2
      && (std::strcmp(argv[1], "--help") == 0
          || std::strcmp(argv[1], "-h") == 0)) {
    std::cout << usage;
    return 0;
  }
  std::cerr << usage;
  return 2;
}
