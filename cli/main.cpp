// The `sluice` command: runs jobs described by INI files. Each command
// lives in a file of its own; this one finds it by name.

#include "cli/commands.hpp"
#include "cli/job_arguments.hpp"

#include <cstring>
#include <iostream>
#include <string>
#include <vector>

namespace {

using sluice::cli::all_commands;

void print_usage(std::ostream& out) {
  out << "usage: sluice COMMAND [ARGS...]\n"
         "       sluice --help | --version\n\n"
         "Sluice runs streaming dataflows described by job files (INI): "
         "sources, built-in\noperators and sinks, with checkpoints that let "
         "a stopped or crashed job resume.\n`sluice help stages` lists the "
         "stage types of job files with their keys and\noutput fields; "
         "`man sluice` describes everything.\n\ncommands:\n";
  for (auto& c : all_commands())
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
  for (auto& c : all_commands())
    if (args.front() == c.name)
      return c.run({args.begin() + 1, args.end()});
  std::cerr << "sluice: unknown command '" << args.front() << "'\n\n";
  print_usage(std::cerr);
  return sluice::cli::bad_input;
}
