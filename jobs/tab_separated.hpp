#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sluice::jobs {

/// Tab-separated lines as file and stdout sinks write them: one record per
/// line, its fields separated by tabs. Inside a field a backslash, a tab, a
/// line feed and a carriage return are written as `\\`, `\t`, `\n` and
/// `\r`, so that every record stays one line with one column per field.

/// Appends `field` to `out`, escaped.
void append_escaped(std::string& out, std::string_view field);

/// The fields of one tab-separated line, unescaped. A backslash before any
/// other character stands for itself.
std::vector<std::string> split_tab_separated(std::string_view line);

} // namespace sluice::jobs
