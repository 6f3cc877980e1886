#pragma once

#include "config/engine_settings.hpp"
#include "config/ini_document.hpp"

#include <caf/error.hpp>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::config {

/// One engine setting as job files (`[section] key = value`) and the
/// command line (`--section.key=value`) name it. The table of them is the
/// only place that knows a setting's name, type, default and meaning: the
/// readers, the overrides and `sluice --help` all go through it.
struct engine_option {
  std::string section;
  std::string key;
  /// What the value must be, for help and errors ("duration").
  std::string type;
  std::string help;
  /// Sets the value from `text`; on failure, what the value should have
  /// been. Relative paths are taken relative to `base_dir` (the job file's
  /// folder; empty on the command line: the working directory).
  std::function<std::optional<std::string>(
    engine_settings&, const std::string& text, const std::string& base_dir)>
    set;
  /// The current value, as a job file would spell it.
  std::function<std::string(const engine_settings&)> get;
};

/// Every engine setting, grouped by section.
const std::vector<engine_option>& engine_options();

/// True for the sections that hold engine settings ([engine],
/// [checkpoints], ...).
bool is_engine_section(std::string_view name);

/// The names of those sections, for messages.
std::string engine_section_names();

/// Applies every entry of an engine section; an unknown key or a value of
/// the wrong type is an error naming file, line and key.
[[nodiscard]] caf::error apply_engine_section(const ini_section& section,
                                              engine_settings& into,
                                              const std::string& base_dir);

/// Applies one `--section.key=value` override from the command line.
[[nodiscard]] caf::error apply_engine_override(std::string_view arg,
                                               engine_settings& into);

/// Where engine setting `[section] key` got its value: the last
/// `--section.key=` option among `overrides` (a position without a file),
/// else its line in `doc`; nothing when it kept its default.
std::optional<source_position>
where_set(const ini_document& doc, const std::vector<std::string>& overrides,
          const std::string& section, const std::string& key);

/// "set at job.ini:7", "set by option '--engine.key-groups'" or "the
/// default", for messages that name a second setting.
std::string origin_of(const ini_document& doc,
                      const std::vector<std::string>& overrides,
                      const std::string& section, const std::string& key);

/// An error about engine setting `[section] key` that points where its
/// value came from: the command-line option, the file's line, or (for a
/// default) the file.
[[nodiscard]] caf::error setting_error(
  errc code, const ini_document& doc, const std::vector<std::string>& overrides,
  const std::string& section, const std::string& key, const std::string& text);

/// Checks settings that only make sense together (a timeout shorter than
/// the interval is fine; a maximum backoff below the initial one is not).
/// Errors point at the setting that is out of line, where it was set.
[[nodiscard]] caf::error
check_engine_settings(const engine_settings& x, const ini_document& doc,
                      const std::vector<std::string>& overrides);

/// Help text: every setting with its type, its value in `x` and what it
/// does, for `sluice --help`.
std::string describe_engine_options(const engine_settings& x);

} // namespace sluice::config
