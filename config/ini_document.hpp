#pragma once

#include "config/errc.hpp"

#include <caf/error.hpp>
#include <caf/expected.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::config {

/// Where a setting was read: a line of a file, a file as a whole (line 0),
/// or the command line (no file).
struct source_position {
  std::string file;
  uint32_t line = 0;
};

/// "job.ini:12", "job.ini" or "command line".
std::string to_string(const source_position& x);

/// One `key = value` line. Quoted values arrive without their quotes and
/// with escapes resolved.
struct ini_entry {
  std::string key;
  std::string value;
  source_position where;
};

/// A `[name]` section and its entries, in file order.
struct ini_section {
  std::string name;
  source_position where;
  std::vector<ini_entry> entries;

  /// The entry for `key`, or null.
  const ini_entry* find(std::string_view key) const;
};

/// An INI file as written, with the line of every section and key, so that
/// errors found later can point at them. Knows nothing of what the sections
/// mean: CAF's own reader drops what it does not understand without a word,
/// so Sluice reads the text itself and rejects what it does not know.
///
/// Syntax: `[section]` headers (dots allowed: `[stage.count]`), `key =
/// value` lines, comments starting with `;` or `#` (at the start of a line
/// or after whitespace), values optionally in double quotes with `\"`,
/// `\\`, `\t` and `\n` escapes. A section or key may appear only once.
class ini_document {
public:
  /// Reads and parses the file at `path`; errors name it.
  [[nodiscard]] static caf::expected<ini_document>
  read(const std::string& path);

  /// Parses `text`; errors name `file`.
  [[nodiscard]] static caf::expected<ini_document> parse(std::string_view text,
                                                         std::string file);

  const std::string& file() const noexcept { return file_; }

  const std::vector<ini_section>& sections() const noexcept {
    return sections_;
  }

  /// The section called `name`, or null.
  const ini_section* find(std::string_view name) const;

private:
  std::string file_;
  std::vector<ini_section> sections_;
};

// -- errors that point into a file --------------------------------------------

/// "job.ini:12: key 'parallelism' in [stage.count]: TEXT".
[[nodiscard]] caf::error key_error(errc code, const ini_section& section,
                                   const ini_entry& entry,
                                   const std::string& text);

/// "job.ini:9: section [stage.count]: TEXT".
[[nodiscard]] caf::error section_error(errc code, const ini_section& section,
                                       const std::string& text);

/// "job.ini:9: section [stage.count] needs key 'input': TEXT".
[[nodiscard]] caf::error missing_key_error(const ini_section& section,
                                           const std::string& key,
                                           const std::string& text);

} // namespace sluice::config
