#include "config/log_settings.hpp"

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

} // namespace sluice::config
