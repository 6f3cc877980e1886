#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

namespace sluice::config {

enum class log_level : uint8_t { debug, info, warning, error, off };

std::string to_string(log_level x);

/// Parses "debug", "info", "warning", "error" or "off".
std::optional<log_level> parse_log_level(std::string_view text);

inline std::ostream& operator<<(std::ostream& os, log_level x) {
  return os << to_string(x);
}

/// Where the job's event log goes: one line per event that matters
/// (checkpoint completed or aborted, failure, recovery, node joined or
/// lost).
struct log_settings {
  /// Events below this level are not written. Embedded jobs stay quiet
  /// unless something goes wrong.
  log_level level = log_level::warning;
  /// Appended to; empty: standard error.
  std::string file;
};

/// Why the event log could not be appended to `file`, or none when it can
/// (or when `file` is empty: standard error). Checked without creating the
/// file, so that `sluice validate` leaves no trace.
std::optional<std::string> log_file_problem(const std::string& file);

} // namespace sluice::config
