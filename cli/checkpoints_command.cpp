#include "cli/commands.hpp"
#include "cli/job_arguments.hpp"
#include "protocol/describe.hpp"
#include "state/checkpoint_store.hpp"
#include "state/restore_point.hpp"

#include <ctime>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <optional>
#include <sstream>
#include <vector>

namespace sluice::cli {

namespace {

constexpr const char* usage
  = R"(usage: sluice checkpoints JOB.ini [--section.key=value]...

Lists the completed checkpoints in the job's store ([checkpoints] store),
newest first: id, completion time (UTC), bytes its snapshots take, whether
it is full or incremental (a delta on the full checkpoint named as its
base), and whether it restores: every snapshot of it and of its chain is
read and checked (checksum, and that it belongs to this job, stage,
instance and checkpoint). `sluice run` resumes from the newest one that
restores and skips the damaged ones above it; the last line says which.
Exits with 1 when a checkpoint would be skipped or none restores.

)";

std::string utc_time(int64_t ms) {
  auto seconds = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  std::ostringstream os;
  os << std::put_time(&tm, "%Y-%m-%d %H:%M:%S");
  return os.str();
}

std::string human_bytes(uint64_t n) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  auto x = static_cast<double>(n);
  size_t unit = 0;
  while (x >= 1024 && unit + 1 < std::size(units)) {
    x /= 1024;
    ++unit;
  }
  std::ostringstream os;
  if (unit == 0)
    os << n << " B";
  else
    os << std::fixed << std::setprecision(1) << x << " " << units[unit];
  return os.str();
}

} // namespace

int checkpoints_command(const std::vector<std::string>& args) {
  auto parsed = parse_job_arguments(args, {});
  if (!parsed) {
    print_error("checkpoints", protocol::describe(parsed.error()));
    return bad_input;
  }
  if (parsed->help) {
    std::cout << usage << engine_settings_help();
    return success;
  }
  auto spec = config::read_job_file(parsed->file, parsed->overrides);
  if (!spec) {
    print_error("checkpoints", protocol::describe(spec.error()));
    return bad_input;
  }
  auto& path = spec->settings.checkpoints.store;
  if (path.empty()) {
    print_error("checkpoints",
                parsed->file + ": job '" + spec->name
                  + "' takes no checkpoints: it names no [checkpoints] store");
    return bad_input;
  }
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    // Opening would create an empty store; there is nothing to list.
    std::cout << "job '" << spec->name
              << "' has no checkpoints yet (no store at " << path << ")"
              << std::endl;
    return success;
  }
  auto store = state::checkpoint_store::open(path);
  if (!store) {
    print_error("checkpoints", protocol::describe(store.error()));
    return job_failed;
  }
  auto completed = store->completed();
  if (!completed) {
    print_error("checkpoints", protocol::describe(completed.error()));
    return job_failed;
  }
  if (completed->empty()) {
    std::cout << "job '" << spec->name << "' has no completed checkpoints in "
              << path << std::endl;
    return success;
  }
  std::cout << "checkpoints of job '" << spec->name << "' in " << path
            << ", newest first:\n";
  std::cout << std::left << std::setw(8) << "id" << std::setw(22)
            << "completed (UTC)" << std::setw(12) << "size" << std::setw(23)
            << "kind"
            << " restores\n";
  std::optional<protocol::checkpoint_id> resume_from;
  std::vector<uint64_t> skipped;
  for (auto& c : *completed) {
    std::string kind = "full";
    if (c.kind == protocol::snapshot_kind::delta)
      kind = "incremental (base " + std::to_string(to_integer(c.base)) + ")";
    auto damage = state::verify_checkpoint(*store, spec->name, c);
    std::string restores = "yes";
    if (damage) {
      restores = "no: " + protocol::describe(damage);
      if (!resume_from)
        skipped.push_back(to_integer(c.id));
    } else if (!resume_from) {
      resume_from = c.id;
    }
    std::cout << std::left << std::setw(8) << to_integer(c.id) << std::setw(22)
              << utc_time(c.completed_ms) << std::setw(12)
              << human_bytes(c.bytes) << std::setw(23) << kind << ' '
              << restores << "\n";
  }
  if (!resume_from) {
    std::cout << "no checkpoint restores: `sluice run` would refuse to resume"
              << std::endl;
    return job_failed;
  }
  std::cout << "`sluice run` resumes from checkpoint "
            << to_integer(*resume_from);
  if (!skipped.empty()) {
    std::cout << ", skipping damaged checkpoint"
              << (skipped.size() > 1 ? "s" : "");
    for (size_t i = 0; i < skipped.size(); ++i)
      std::cout << (i == 0 ? " " : ", ") << skipped[i];
  }
  std::cout << std::endl;
  return skipped.empty() ? success : job_failed;
}

} // namespace sluice::cli
