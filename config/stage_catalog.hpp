#pragma once

#include "config/field.hpp"

#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::config {

/// The built-in operators a job file can name in a stage's `type`.
enum class stage_type : uint8_t {
  file_source,  ///< Lines of a text file.
  generator,    ///< Deterministic records (index, value).
  split_words,  ///< One record per word of a text field.
  extract_csv,  ///< Typed fields from a CSV line.
  extract_json, ///< Typed fields from a JSON object on one line.
  filter,       ///< The records whose field compares true with a value.
  key_by,       ///< Partitions by a field for the stages that read it.
  count,        ///< Per key: records so far.
  sum,          ///< Per key: sum of a numeric field.
  min,          ///< Per key: smallest value of a numeric field.
  max,          ///< Per key: largest value of a numeric field.
  window_count, ///< Per key and tumbling processing-time window: records.
  file_sink,    ///< One line per record to a file.
  sqlite_sink,  ///< One row per record to a SQLite table, exactly once.
  stdout_sink,  ///< One line per record to standard output.
};

/// What a stage type does in the graph.
enum class stage_kind : uint8_t { source, transform, sink, key_by };

/// "source", "transform", "sink", "key-by".
std::string to_string(stage_kind x);

/// A key of a `[stage.NAME]` section and what its value means.
struct stage_key {
  std::string_view name;
  std::string_view meaning;
};

/// What job files know of one stage type. The job reader takes names,
/// kinds, keys and fixed output fields from here, and `sluice help stages`
/// prints the same table, so the two cannot disagree.
struct stage_type_info {
  stage_type type;
  /// The name job files use: "file-source", "split-words", ...
  std::string_view name;
  stage_kind kind;
  std::string_view summary;
  /// The keys of this type, beyond `type` and those of its kind.
  std::vector<stage_key> keys;
  /// The fields of its records when they do not depend on the input.
  std::vector<field_def> fields;
  /// The fields of its records, for people, when they do; empty for sinks.
  std::string_view output;
};

/// Every stage type, in the order of the enum.
const std::vector<stage_type_info>& stage_catalog();

const stage_type_info& info_of(stage_type x);

/// The keys every stage of `kind` takes besides `type` and its own.
const std::vector<stage_key>& kind_keys(stage_kind kind);

/// Every key a stage of type `x` takes: `type`, its kind's, its own.
std::vector<std::string> allowed_keys(stage_type x);

/// The name job files use: "file-source", "split-words", ...
std::string to_string(stage_type x);

std::optional<stage_type> parse_stage_type(std::string_view text);

inline std::ostream& operator<<(std::ostream& os, stage_type x) {
  return os << to_string(x);
}

/// Every stage type, in the order of the enum.
const std::vector<stage_type>& all_stage_types();

stage_kind kind_of(stage_type x);

/// The catalog for people: each stage type with its keys and its output,
/// as `sluice help stages` prints it.
std::string describe_stage_types();

} // namespace sluice::config
