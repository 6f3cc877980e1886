#pragma once

#include <string>
#include <vector>

namespace sluice::cli {

/// Exit codes of every command.
enum exit_code : int {
  success = 0,
  job_failed = 1, ///< The job started and failed.
  bad_input = 2,  ///< A bad command line or job file: no job started.
};

/// A command of `sluice`: `run(args)` gets the arguments after its name
/// and returns the exit code.
struct command {
  const char* name;
  const char* summary;
  int (*run)(const std::vector<std::string>& args);
};

/// Every command, in the order `--help` lists them.
const std::vector<command>& all_commands();

/// `sluice help stages|man|COMMAND`: the stage types of job files, the man
/// page in roff, or a command's help.
int help_command(const std::vector<std::string>& args);

/// `sluice run JOB.ini`: runs a job until it ends or a signal stops it.
int run_command(const std::vector<std::string>& args);

/// `sluice validate JOB.ini`: checks a job file and prints its graph.
int validate_command(const std::vector<std::string>& args);

/// `sluice checkpoints JOB.ini`: lists the completed checkpoints of a job.
int checkpoints_command(const std::vector<std::string>& args);

/// `sluice node NODE.ini`: runs a worker node until a signal stops it.
int node_command(const std::vector<std::string>& args);

} // namespace sluice::cli
