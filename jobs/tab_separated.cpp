#include "jobs/tab_separated.hpp"

namespace sluice::jobs {

void append_escaped(std::string& out, std::string_view field) {
  for (char c : field) {
    switch (c) {
    case '\\':
      out += "\\\\";
      break;
    case '\t':
      out += "\\t";
      break;
    case '\n':
      out += "\\n";
      break;
    case '\r':
      out += "\\r";
      break;
    default:
      out += c;
    }
  }
}

std::vector<std::string> split_tab_separated(std::string_view line) {
  std::vector<std::string> result(1);
  for (size_t i = 0; i < line.size(); ++i) {
    auto c = line[i];
    if (c == '\t') {
      result.emplace_back();
      continue;
    }
    if (c != '\\' || i + 1 == line.size()) {
      result.back() += c;
      continue;
    }
    switch (line[++i]) {
    case '\\':
      result.back() += '\\';
      break;
    case 't':
      result.back() += '\t';
      break;
    case 'n':
      result.back() += '\n';
      break;
    case 'r':
      result.back() += '\r';
      break;
    default:
      result.back() += '\\';
      result.back() += line[i];
    }
  }
  return result;
}

} // namespace sluice::jobs
