#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::config {

/// Value syntax shared by job files and command-line overrides. Each
/// parser takes the whole text and returns nothing unless all of it is a
/// value of its type.

/// Decimal digits, optionally with '_' between them: "16384", "1_000_000".
std::optional<uint64_t> parse_unsigned(std::string_view text);

/// An optional sign, then what `parse_unsigned` reads.
std::optional<int64_t> parse_integer(std::string_view text);

/// A decimal number ("2.5", "-1e3", "40000").
std::optional<double> parse_real(std::string_view text);

/// "true", "false", "yes", "no", "on", "off".
std::optional<bool> parse_bool(std::string_view text);

/// A number and a unit: "ns", "us", "ms", "s", "min" or "h" ("500ms",
/// "1.5s", "10min"); a plain "0" is zero.
std::optional<std::chrono::nanoseconds> parse_duration(std::string_view text);

/// The shortest exact spelling `parse_duration` reads back: "5ms", "10s",
/// "1min".
std::string format_duration(std::chrono::nanoseconds x);

/// Comma-separated items, trimmed; empty items dropped; optionally in
/// brackets, items optionally in double quotes: `a, b`, `["a", "b"]`.
std::vector<std::string> split_list(std::string_view text);

/// Letters, digits and '_', not starting with a digit: names that need no
/// quoting anywhere (SQL columns, JSON keys, job files).
bool is_identifier(std::string_view text);

} // namespace sluice::config
