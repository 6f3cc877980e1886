#include "cli/commands.hpp"
#include "observability/status_command.hpp"

namespace sluice::cli {

const std::vector<command>& all_commands() {
  static const std::vector<command> all{
    {"run", "run a job until it ends or a signal stops it", run_command},
    {"validate", "check a job file and print its graph", validate_command},
    {"checkpoints", "list the completed checkpoints of a job",
     checkpoints_command},
    {"status", "show a running job's figures from its metrics endpoint",
     observability::status_command},
    {"node", "run a worker node that jobs join over the network", node_command},
    {"help",
     "list the stage types (help stages), print the man page (help man)",
     help_command},
  };
  return all;
}

} // namespace sluice::cli
