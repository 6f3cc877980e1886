#pragma once

#include "config/job_spec.hpp"

#include <caf/expected.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace sluice::cli {

/// What a command that works on a job file was told.
struct job_arguments {
  bool help = false;
  /// The job file.
  std::string file;
  /// `--section.key=value` overrides of engine settings.
  std::vector<std::string> overrides;
  /// Options of the command itself (`--fresh`, `--progress-every=5s`),
  /// without their leading dashes, as name and value.
  std::vector<std::pair<std::string, std::string>> flags;

  /// The value of flag `name`, if given.
  std::optional<std::string> flag(const std::string& name) const;
};

/// Parses `JOB.ini [--section.key=value | --section.key value]...
/// [--help]` plus the command's own `flags` (names without dashes; a
/// trailing '=' means the flag takes a value).
[[nodiscard]] caf::expected<job_arguments>
parse_job_arguments(const std::vector<std::string>& args,
                    const std::vector<std::string>& flags);

/// Reads and validates the job file named in `args`, then checks the
/// graph as the engine will (without touching the checkpoint store).
[[nodiscard]] caf::expected<config::job_spec>
load_job(const job_arguments& args);

/// Whether the job, as `spec` describes it, can resume from the
/// checkpoints its store holds (rule S6); none when there is no store or
/// no checkpoint in it. Creates no store.
[[nodiscard]] caf::error check_resumable(const config::job_spec& spec);

/// The help on engine settings that every job command shares.
std::string engine_settings_help();

/// Prints `text` to standard error as `sluice CMD: text`.
void print_error(const std::string& command, const std::string& text);

/// The command's own report (started, progress, stopped) for whoever runs
/// it, as `sluice: text` on standard error: program output, not an event of
/// the job; [log] level and file do not apply.
void log_line(const std::string& text);

} // namespace sluice::cli
