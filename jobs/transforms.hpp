#pragma once

#include "config/job_spec.hpp"
#include "jobs/record.hpp"
#include "operators/emitter.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::jobs {

/// The stateless transforms of job files, as `flat_map` functions: each
/// reads one record and emits any number. They throw on records they
/// cannot handle; the hosting actor names the record and the stage.

/// One record (word) per run of non-space characters of a text field.
class split_words {
public:
  explicit split_words(const config::split_words_options& opts)
      : field_(opts.field) {}

  void operator()(const record& x, operators::emitter<record>& out) const;

private:
  size_t field_;
};

/// Typed fields from a CSV line: quoted fields may hold the separator and
/// `""` for a quote; unquoted fields are trimmed. With a tab separator the
/// line is read as file and stdout sinks write it: no quoting, backslash
/// escapes (`split_tab_separated`).
class extract_csv {
public:
  /// `origin`: the file the records came from, to say where a skipped one
  /// was; empty when they came from no file.
  extract_csv(const config::extract_options& opts,
              std::vector<config::field_def> fields, std::string origin = {})
      : opts_(opts), fields_(std::move(fields)), origin_(std::move(origin)) {}

  void operator()(const record& x, operators::emitter<record>& out) const;

private:
  config::extract_options opts_;
  std::vector<config::field_def> fields_;
  std::string origin_;
};

/// Arrays and objects nested deeper than this in a JSON line make it a bad
/// record (failed or skipped as `on-error` says).
inline constexpr size_t max_json_depth = 512;

/// Typed fields from the top-level members of a JSON object on one line.
/// A number or a string that reads as one fills a numeric field; text
/// fields take strings as they are and other values as their JSON text.
class extract_json {
public:
  /// `origin` as for `extract_csv`.
  extract_json(const config::extract_options& opts,
               std::vector<config::field_def> fields, std::string origin = {})
      : opts_(opts), fields_(std::move(fields)), origin_(std::move(origin)) {}

  void operator()(const record& x, operators::emitter<record>& out) const;

private:
  config::extract_options opts_;
  std::vector<config::field_def> fields_;
  std::string origin_;
};

/// The records whose field compares true with the operand.
class filter {
public:
  explicit filter(config::filter_options opts) : opts_(std::move(opts)) {}

  void operator()(const record& x, operators::emitter<record>& out) const {
    if (passes(x))
      out(x);
  }

  bool passes(const record& x) const;

private:
  config::filter_options opts_;
};

/// The fields of a CSV line, unquoted; throws on an unclosed quote.
std::vector<std::string> split_csv(std::string_view line, char separator);

/// The named top-level members of a JSON object, as JSON text (strings
/// unquoted and unescaped); nothing for members that are absent or null.
/// Throws on text that is not one JSON object.
std::vector<std::optional<std::string>>
json_members(std::string_view text,
             const std::vector<config::field_def>& names);

} // namespace sluice::jobs
