#include "config/log_settings.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <unistd.h>

namespace sluice::config {

std::string to_string(log_level x) {
  switch (x) {
  case log_level::debug:
    return "debug";
  case log_level::info:
    return "info";
  case log_level::warning:
    return "warning";
  case log_level::error:
    return "error";
  case log_level::off:
    return "off";
  }
  return "log_level(" + std::to_string(static_cast<int>(x)) + ")";
}

std::optional<log_level> parse_log_level(std::string_view text) {
  for (auto x : {log_level::debug, log_level::info, log_level::warning,
                 log_level::error, log_level::off})
    if (text == to_string(x))
      return x;
  return std::nullopt;
}

std::optional<std::string> log_file_problem(const std::string& file) {
  if (file.empty())
    return std::nullopt;
  std::error_code ec;
  auto status = std::filesystem::status(file, ec);
  if (status.type() == std::filesystem::file_type::not_found) {
    auto parent = std::filesystem::path{file}.parent_path();
    if (parent.empty())
      parent = ".";
    if (!std::filesystem::is_directory(parent, ec))
      return "folder '" + parent.string() + "' of the log file '" + file
             + "' does not exist";
    if (::access(parent.c_str(), W_OK | X_OK) != 0)
      return "cannot create the log file '" + file
             + "': " + std::strerror(errno);
    return std::nullopt;
  }
  if (ec)
    return "cannot open the log file '" + file + "': " + ec.message();
  if (status.type() == std::filesystem::file_type::directory)
    return "the log file '" + file + "' is a folder";
  // It exists: opening it to append creates nothing and changes nothing.
  std::ofstream out{file, std::ios::app};
  if (!out)
    return "cannot open the log file '" + file + "': " + std::strerror(errno);
  return std::nullopt;
}

} // namespace sluice::config
