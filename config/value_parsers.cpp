#include "config/value_parsers.hpp"

#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>

namespace sluice::config {

namespace {

std::string_view trim(std::string_view x) {
  while (!x.empty() && std::isspace(static_cast<unsigned char>(x.front())))
    x.remove_prefix(1);
  while (!x.empty() && std::isspace(static_cast<unsigned char>(x.back())))
    x.remove_suffix(1);
  return x;
}

} // namespace

std::optional<uint64_t> parse_unsigned(std::string_view text) {
  if (text.empty() || text.front() == '_' || text.back() == '_')
    return std::nullopt;
  uint64_t result = 0;
  constexpr auto max = std::numeric_limits<uint64_t>::max();
  for (char c : text) {
    if (c == '_')
      continue;
    if (c < '0' || c > '9')
      return std::nullopt;
    auto digit = static_cast<uint64_t>(c - '0');
    if (result > (max - digit) / 10)
      return std::nullopt; // overflow
    result = result * 10 + digit;
  }
  return result;
}

std::optional<int64_t> parse_integer(std::string_view text) {
  bool negative = false;
  if (!text.empty() && (text.front() == '-' || text.front() == '+')) {
    negative = text.front() == '-';
    text.remove_prefix(1);
  }
  auto magnitude = parse_unsigned(text);
  if (!magnitude)
    return std::nullopt;
  constexpr auto max
    = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  if (negative) {
    if (*magnitude > max + 1)
      return std::nullopt;
    return static_cast<int64_t>(0 - *magnitude);
  }
  if (*magnitude > max)
    return std::nullopt;
  return static_cast<int64_t>(*magnitude);
}

std::optional<double> parse_real(std::string_view text) {
  if (!text.empty() && text.front() == '+')
    text.remove_prefix(1);
  if (text.empty())
    return std::nullopt;
  double result = 0;
  auto [end, ec]
    = std::from_chars(text.data(), text.data() + text.size(), result);
  if (ec != std::errc{} || end != text.data() + text.size()
      || !std::isfinite(result))
    return std::nullopt;
  return result;
}

std::optional<bool> parse_bool(std::string_view text) {
  if (text == "true" || text == "yes" || text == "on")
    return true;
  if (text == "false" || text == "no" || text == "off")
    return false;
  return std::nullopt;
}

std::optional<std::chrono::nanoseconds> parse_duration(std::string_view text) {
  using namespace std::chrono;
  if (text == "0")
    return nanoseconds{0};
  size_t split = text.size();
  while (split > 0 && std::isalpha(static_cast<unsigned char>(text[split - 1])))
    --split;
  auto number = text.substr(0, split);
  auto unit = text.substr(split);
  double scale = 0;
  if (unit == "ns")
    scale = 1;
  else if (unit == "us")
    scale = 1e3;
  else if (unit == "ms")
    scale = 1e6;
  else if (unit == "s")
    scale = 1e9;
  else if (unit == "min")
    scale = 60e9;
  else if (unit == "h")
    scale = 3600e9;
  else
    return std::nullopt;
  if (number.empty() || number.front() == '-')
    return std::nullopt;
  auto value = parse_real(number);
  if (!value)
    return std::nullopt;
  auto ns = *value * scale;
  if (ns > static_cast<double>(std::numeric_limits<int64_t>::max()))
    return std::nullopt;
  return nanoseconds{static_cast<int64_t>(std::llround(ns))};
}

std::string format_duration(std::chrono::nanoseconds x) {
  auto n = x.count();
  if (n == 0)
    return "0s";
  struct unit {
    int64_t ns;
    const char* name;
  };
  for (auto u :
       {unit{3600'000'000'000, "h"}, unit{60'000'000'000, "min"},
        unit{1'000'000'000, "s"}, unit{1'000'000, "ms"}, unit{1'000, "us"}})
    if (n % u.ns == 0)
      return std::to_string(n / u.ns) + u.name;
  return std::to_string(n) + "ns";
}

std::vector<std::string> split_list(std::string_view text) {
  text = trim(text);
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']')
    text = text.substr(1, text.size() - 2);
  std::vector<std::string> result;
  while (!text.empty()) {
    auto comma = text.find(',');
    auto item = trim(text.substr(0, comma));
    if (item.size() >= 2 && item.front() == '"' && item.back() == '"')
      item = item.substr(1, item.size() - 2);
    if (!item.empty())
      result.emplace_back(item);
    if (comma == std::string_view::npos)
      break;
    text.remove_prefix(comma + 1);
  }
  return result;
}

bool is_identifier(std::string_view text) {
  if (text.empty() || std::isdigit(static_cast<unsigned char>(text.front())))
    return false;
  for (char c : text)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_')
      return false;
  return true;
}

} // namespace sluice::config
