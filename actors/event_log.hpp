#pragma once

#include "config/log_settings.hpp"

#include <fstream>
#include <mutex>
#include <string>
#include <string_view>

namespace sluice::actors {

/// A job's event log: one line per event that matters, with time (UTC),
/// level and job, e.g.
/// `2026-11-22T03:10:00.123Z INFO [wordcount] checkpoint 5 completed ...`.
/// Thread-safe; written from the job's actors.
class event_log {
public:
  explicit event_log(const config::log_settings& settings,
                     std::string job_name);

  bool enabled(config::log_level level) const noexcept {
    return level >= threshold_ && level != config::log_level::off;
  }

  void write(config::log_level level, std::string_view text);

  void debug(std::string_view text) { write(config::log_level::debug, text); }

  void info(std::string_view text) { write(config::log_level::info, text); }

  void warning(std::string_view text) {
    write(config::log_level::warning, text);
  }

  void error(std::string_view text) { write(config::log_level::error, text); }

private:
  config::log_level threshold_;
  std::string job_;
  std::mutex mtx_;
  std::ofstream file_; ///< Closed: standard error.
};

} // namespace sluice::actors
