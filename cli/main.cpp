// The `sluice` command: runs jobs described by INI files. Each command
// lives in a file of its own; this one finds it by name.

#include "cli/commands.hpp"
#include "cli/job_arguments.hpp"
#include "observability/status_command.hpp"

#include <cstring>
#include <iostream>
#include <string>
#include <vector>

namespace {

using sluice::cli::command;

/// Every command, in the order `--help` lists them.
const std::vector<command>& commands() {
  static const std::vector<command> all{
    {"run", "run a job until it ends or a signal stops it",
     sluice::cli::run_command},
    {"validate", "check a job file and print its graph",
     sluice::cli::validate_command},
    {"checkpoints", "list the completed checkpoints of a job",
     sluice::cli::checkpoints_command},
    {"status", "show a running job's figures from its metrics endpoint",
     sluice::observability::status_command},
    {"node", "run a worker node that jobs join over the network",
     sluice::cli::node_command},
  };
  return all;
}

void print_usage(std::ostream& out) {
  out << "usage: sluice COMMAND [ARGS...]\n"
         "       sluice --help | --version\n\n"
         "Sluice runs streaming dataflows described by job files (INI): "
         "sources, built-in\noperators and sinks, with checkpoints that let "
         "a stopped or crashed job resume.\nThe job-file format is in "
         "README.md; examples are in config/.\n\ncommands:\n";
  for (auto& c : commands())
    out << "  " << c.name << std::string(14 - std::strlen(c.name), ' ')
        << c.summary << "\n";
  out << "\n`sluice COMMAND --help` describes a command.\n\n";
}

} // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    print_usage(std::cerr);
    return sluice::cli::bad_input;
  }
  auto& first = args.front();
  if (first == "--version") {
    std::cout << "sluice " << SLUICE_VERSION << std::endl;
    return sluice::cli::success;
  }
  if (first == "--help" || first == "-h") {
    print_usage(std::cout);
    std::cout << sluice::cli::engine_settings_help();
    return sluice::cli::success;
  }
  if (first == "help" && args.size() == 2)
    args = {args[1], "--help"};
  for (auto& c : commands())
    if (args.front() == c.name)
      return c.run({args.begin() + 1, args.end()});
  std::cerr << "sluice: unknown command '" << args.front() << "'\n\n";
  print_usage(std::cerr);
  return sluice::cli::bad_input;
}
