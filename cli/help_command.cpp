#include "cli/commands.hpp"
#include "cli/job_arguments.hpp"
#include "cli/man_page.hpp"
#include "config/stage_catalog.hpp"

#include <iostream>

namespace sluice::cli {

namespace {

constexpr const char* usage = R"(usage: sluice help stages | man | COMMAND

  stages    every stage type of job files, with its keys and output fields
  man       the manual page sluice(1) in roff (man -l <(sluice help man))
  COMMAND   what `sluice COMMAND --help` prints

)";

} // namespace

int help_command(const std::vector<std::string>& args) {
  if (args.size() != 1 || args[0] == "--help" || args[0] == "-h") {
    (args.size() == 1 ? std::cout : std::cerr) << usage;
    return args.size() == 1 ? success : bad_input;
  }
  auto& topic = args[0];
  if (topic == "stages") {
    std::cout << config::describe_stage_types();
    return success;
  }
  if (topic == "man") {
    std::cout << man_page(SLUICE_VERSION);
    return success;
  }
  for (auto& c : all_commands())
    if (topic == c.name)
      return c.run({"--help"});
  print_error("help", "no help on '" + topic + "'; see sluice help --help");
  return bad_input;
}

} // namespace sluice::cli
