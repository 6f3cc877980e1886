#include "config/ini_document.hpp"

#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace sluice::config {

std::string to_string(const source_position& x) {
  if (x.file.empty())
    return "command line";
  if (x.line == 0)
    return x.file;
  return x.file + ":" + std::to_string(x.line);
}

const ini_entry* ini_section::find(std::string_view key) const {
  for (auto& e : entries)
    if (e.key == key)
      return &e;
  return nullptr;
}

const ini_section* ini_document::find(std::string_view name) const {
  for (auto& s : sections_)
    if (s.name == name)
      return &s;
  return nullptr;
}

namespace {

bool is_name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-'
         || c == '.';
}

bool is_blank(char c) {
  return c == ' ' || c == '\t';
}

std::string_view trim(std::string_view x) {
  while (!x.empty() && (is_blank(x.front()) || x.front() == '\r'))
    x.remove_prefix(1);
  while (!x.empty() && (is_blank(x.back()) || x.back() == '\r'))
    x.remove_suffix(1);
  return x;
}

/// A comment starts with ';' or '#' at the start or after whitespace.
std::string_view strip_comment(std::string_view x) {
  for (size_t i = 0; i < x.size(); ++i)
    if ((x[i] == ';' || x[i] == '#') && (i == 0 || is_blank(x[i - 1])))
      return x.substr(0, i);
  return x;
}

struct parse_failure {
  std::string text;
};

/// The value after '=': a quoted string or the trimmed text up to a
/// comment.
std::string parse_value(std::string_view raw) {
  raw = trim(raw);
  if (raw.empty() || raw.front() != '"')
    return std::string{trim(strip_comment(raw))};
  std::string result;
  size_t i = 1;
  for (; i < raw.size() && raw[i] != '"'; ++i) {
    if (raw[i] != '\\') {
      result += raw[i];
      continue;
    }
    if (++i == raw.size())
      break;
    switch (raw[i]) {
    case '"':
    case '\\':
      result += raw[i];
      break;
    case 't':
      result += '\t';
      break;
    case 'n':
      result += '\n';
      break;
    default:
      throw parse_failure{std::string{"unknown escape '\\"} + raw[i]
                          + "' in a quoted value"};
    }
  }
  if (i >= raw.size())
    throw parse_failure{"a quoted value lacks its closing '\"'"};
  if (!trim(strip_comment(raw.substr(i + 1))).empty())
    throw parse_failure{"text after the closing '\"' of a quoted value"};
  return result;
}

} // namespace

caf::expected<ini_document> ini_document::parse(std::string_view text,
                                                std::string file) {
  ini_document doc;
  doc.file_ = std::move(file);
  uint32_t line_no = 0;
  auto fail = [&](const std::string& why) {
    return caf::make_error(
      errc::syntax, doc.file_ + ":" + std::to_string(line_no) + ": " + why);
  };
  while (!text.empty()) {
    ++line_no;
    auto end = text.find('\n');
    auto raw = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    auto line = trim(raw);
    if (line.empty() || line.front() == ';' || line.front() == '#')
      continue;
    source_position where{doc.file_, line_no};
    if (line.front() == '[') {
      auto close = line.find(']');
      if (close == std::string_view::npos)
        return fail("a section header lacks its closing ']'");
      if (!trim(strip_comment(line.substr(close + 1))).empty())
        return fail("text after the section header");
      auto name = trim(line.substr(1, close - 1));
      if (name.empty())
        return fail("a section header without a name");
      for (char c : name)
        if (!is_name_char(c))
          return fail("section name '" + std::string{name}
                      + "' may only hold letters, digits, '_', '-' and '.'");
      if (auto* first = doc.find(name))
        return caf::make_error(
          errc::duplicate, to_string(where) + ": section [" + std::string{name}
                             + "] appears twice (first at line "
                             + std::to_string(first->where.line) + ")");
      doc.sections_.push_back(ini_section{std::string{name}, where, {}});
      continue;
    }
    auto eq = line.find('=');
    if (eq == std::string_view::npos)
      return fail("expected '[section]' or 'key = value', got '"
                  + std::string{line} + "'");
    auto key = trim(line.substr(0, eq));
    if (key.empty())
      return fail("a value without a key");
    for (char c : key)
      if (!is_name_char(c))
        return fail("key '" + std::string{key}
                    + "' may only hold letters, digits, '_', '-' and '.'");
    if (doc.sections_.empty())
      return fail("key '" + std::string{key} + "' comes before any [section]");
    auto& section = doc.sections_.back();
    if (auto* first = section.find(key))
      return caf::make_error(errc::duplicate,
                             to_string(where) + ": key '" + std::string{key}
                               + "' in [" + section.name
                               + "] appears twice (first at line "
                               + std::to_string(first->where.line) + ")");
    std::string value;
    try {
      value = parse_value(line.substr(eq + 1));
    } catch (const parse_failure& e) {
      return fail("key '" + std::string{key} + "' in [" + section.name
                  + "]: " + e.text);
    }
    section.entries.push_back(
      ini_entry{std::string{key}, std::move(value), where});
  }
  return doc;
}

caf::expected<ini_document> ini_document::read(const std::string& path) {
  auto fail = [&](const std::string& why) {
    return caf::make_error(errc::unreadable_file,
                           path + ": cannot read the job file: " + why);
  };
  std::error_code ec;
  auto status = std::filesystem::status(path, ec);
  if (ec)
    return fail(ec.message());
  if (status.type() == std::filesystem::file_type::directory)
    return fail("it is a directory");
  // Opening a FIFO would block until a writer came; a device never ends.
  if (status.type() != std::filesystem::file_type::regular)
    return fail("it is not a regular file");
  std::ifstream in{path, std::ios::binary};
  if (!in)
    return fail(std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad())
    return fail(std::strerror(errno));
  return parse(text.str(), path);
}

// -- errors -------------------------------------------------------------------

caf::error key_error(errc code, const ini_section& section,
                     const ini_entry& entry, const std::string& text) {
  if (entry.where.file.empty()) // an override on the command line
    return caf::make_error(code, "command line: option '--" + section.name + "."
                                   + entry.key + "': " + text);
  return caf::make_error(code, to_string(entry.where) + ": key '" + entry.key
                                 + "' in [" + section.name + "]: " + text);
}

caf::error section_error(errc code, const ini_section& section,
                         const std::string& text) {
  return caf::make_error(code, to_string(section.where) + ": section ["
                                 + section.name + "]: " + text);
}

caf::error missing_key_error(const ini_section& section, const std::string& key,
                             const std::string& text) {
  return caf::make_error(errc::missing_key,
                         to_string(section.where) + ": section [" + section.name
                           + "] needs key '" + key + "': " + text);
}

} // namespace sluice::config
