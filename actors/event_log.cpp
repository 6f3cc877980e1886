#include "actors/event_log.hpp"

#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <iostream>

namespace sluice::actors {

namespace {

std::string timestamp() {
  using namespace std::chrono;
  auto now = system_clock::now();
  auto secs = system_clock::to_time_t(now);
  auto ms = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm utc{};
  gmtime_r(&secs, &utc);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &utc);
  char out[40];
  std::snprintf(out, sizeof(out), "%s.%03dZ", buf, static_cast<int>(ms));
  return out;
}

} // namespace

event_log::event_log(const config::log_settings& settings, std::string job_name)
    : threshold_(settings.level), job_(std::move(job_name)) {
  if (settings.file.empty())
    return;
  file_.open(settings.file, std::ios::app);
  // Job files have the file checked before a job starts; an embedding
  // application that names one that cannot be opened learns it here.
  if (!file_.is_open())
    error("cannot open the log file '" + settings.file
          + "': " + std::strerror(errno) + "; logging to standard error");
}

void event_log::write(config::log_level level, std::string_view text) {
  if (!enabled(level))
    return;
  auto name = config::to_string(level);
  for (auto& c : name)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  std::string line = timestamp() + " " + name + " [" + job_ + "] ";
  line.append(text);
  line += '\n';
  std::lock_guard<std::mutex> guard{mtx_};
  auto& out = file_.is_open() ? static_cast<std::ostream&>(file_) : std::cerr;
  out << line;
  out.flush();
}

} // namespace sluice::actors
