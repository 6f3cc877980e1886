#pragma once

#include "tests/cli/sluice_process.hpp"
#include "tests/support/sqlite_rows.hpp"
#include "tests/support/temp_dir.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace sluice::testing {

/// A fresh folder for job files, their inputs and outputs.
struct cli_fixture {
  temp_dir dir;

  std::string write(const std::string& name, const std::string& text) {
    auto path = dir.file(name);
    std::ofstream{path} << text;
    return path;
  }

  /// Copies `name` from the repository's config/ folder; its new path.
  std::string copy_example(const std::string& name) {
    auto to = dir.file(name);
    std::filesystem::copy_file(
      std::string{SLUICE_SOURCE_DIR} + "/config/" + name, to);
    return to;
  }

  /// The text of `name` in the repository's config/ folder.
  static std::string read_example(const std::string& name) {
    std::ifstream in{std::string{SLUICE_SOURCE_DIR} + "/config/" + name};
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }

  std::string read(const std::string& name) const {
    std::ifstream in{dir.file(name)};
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }

  bool exists(const std::string& name) const {
    return std::filesystem::exists(dir.file(name));
  }

  std::vector<std::string> rows(const std::string& db, const std::string& sql) {
    return sqlite_rows(dir.file(db), sql);
  }
};

/// True if `text` holds `part`.
inline bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

} // namespace sluice::testing
