#include "cli/commands.hpp"
#include "cli/job_arguments.hpp"
#include "protocol/describe.hpp"

#include <iostream>

namespace sluice::cli {

namespace {

constexpr const char* usage
  = R"(usage: sluice validate JOB.ini [--section.key=value]...

Checks a job file as `sluice run` would, without running it, and prints the
job's graph: each stage with its type, instances, input and partitioning,
and the fields of the records it produces. Touches no files the job writes.
When the job's checkpoint store holds checkpoints, also checks that the job
as written can resume from them: its stages, parallelism, key groups, edges
and record types must be those the checkpoints were taken with.
Exits with 0 when the file is valid, 2 when it is not (the error names the
file, the line and the key, or what changed since the checkpoints).
`sluice help stages` lists the stage types with their keys and output
fields.

)";

} // namespace

int validate_command(const std::vector<std::string>& args) {
  auto parsed = parse_job_arguments(args, {});
  if (!parsed) {
    print_error("validate", protocol::describe(parsed.error()));
    return bad_input;
  }
  if (parsed->help) {
    std::cout << usage << engine_settings_help();
    return success;
  }
  auto spec = load_job(*parsed);
  if (!spec) {
    print_error("validate", protocol::describe(spec.error()));
    return bad_input;
  }
  // What `sluice run` would refuse before it starts.
  if (auto err = check_resumable(*spec)) {
    print_error("validate", protocol::describe(err));
    return bad_input;
  }
  std::cout << config::describe_graph(*spec) << "valid" << std::endl;
  return success;
}

} // namespace sluice::cli
