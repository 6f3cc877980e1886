#pragma once

#include "config/engine_settings.hpp"
#include "config/field.hpp"
#include "config/ini_document.hpp"
#include "config/stage_catalog.hpp"
#include "protocol/partitioning.hpp"

#include <caf/expected.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace sluice::config {

/// A filter's comparison.
enum class compare_op : uint8_t { eq, ne, lt, le, gt, ge, contains };

/// "==", "!=", "<", "<=", ">", ">=", "contains".
std::string to_string(compare_op x);

std::optional<compare_op> parse_compare_op(std::string_view text);

/// What an extraction does with a record it cannot read.
enum class on_error : uint8_t { fail, skip };

/// The format an extraction reads.
enum class record_format : uint8_t { csv, json };

// -- options per stage type ---------------------------------------------------

struct file_source_options {
  std::string path;
};

struct generator_options {
  /// Records to produce; none: endless.
  std::optional<uint64_t> count;
  uint64_t seed = 0;
  /// Records per second over all instances; none: as fast as possible.
  std::optional<double> rate;
  /// The `value` field runs from 0 to `values` - 1.
  uint64_t values = 100;
};

struct split_words_options {
  size_t field = 0; ///< The text field to split, in the records read.
};

struct extract_options {
  record_format format = record_format::csv;
  size_t field = 0; ///< The text field to read, in the records read.
  /// CSV: the column of each output field (columns named '_' are skipped).
  std::vector<size_t> columns;
  char separator = ',';
  on_error errors = on_error::fail;
};

struct filter_options {
  size_t field = 0;
  compare_op op = compare_op::eq;
  field_value operand;
};

struct key_by_options {
  size_t field = 0;
};

struct aggregate_options {
  /// The field summed, minimized or maximized; none for count.
  std::optional<size_t> field;
};

struct window_count_options {
  std::chrono::nanoseconds size{0};
};

struct file_sink_options {
  std::string path;
};

struct sqlite_sink_options {
  std::string path;
  std::string table;
  /// Fields that form the table's primary key: a row replaces the row with
  /// the same key. Empty: rows are appended.
  std::vector<std::string> key;
};

struct stdout_sink_options {};

using stage_options
  = std::variant<file_source_options, generator_options, split_words_options,
                 extract_options, filter_options, key_by_options,
                 aggregate_options, window_count_options, file_sink_options,
                 sqlite_sink_options, stdout_sink_options>;

// -- stages and jobs ----------------------------------------------------------

/// One `[stage.NAME]` section, validated: its input exists, the graph has
/// no cycle, every field it names exists with a fitting type.
struct stage_spec {
  std::string name;
  stage_type type = stage_type::file_source;
  /// The section header.
  source_position where;
  /// The stage named by `input` (empty for sources), and where.
  std::string input;
  source_position input_where;
  /// The stage whose instances send this stage its records: `input` with
  /// key-by stages passed through (key-by stages run no instances).
  std::string reads;
  /// Set when the records arrive partitioned by key: the key's field in
  /// the records read.
  std::optional<size_t> key;
  /// How the input edge spreads records, when set in the file.
  std::optional<protocol::partitioning> partitioning;
  std::optional<uint32_t> parallelism;
  std::optional<uint32_t> batch_size;
  std::optional<uint64_t> budget;
  std::optional<std::chrono::nanoseconds> linger;
  stage_options options;
  /// The fields of the records read (empty for sources).
  std::vector<field_def> input_fields;
  /// The fields of the records produced (empty for sinks).
  std::vector<field_def> output;

  stage_kind kind() const { return kind_of(type); }
};

/// A job file, validated: engine settings and a graph of built-in stages.
/// Knows nothing of actors; `jobs::make_job` turns it into a job.
struct job_spec {
  std::string name;
  /// The job file, as named on the command line.
  std::string file;
  engine_settings settings;
  /// In file order.
  std::vector<stage_spec> stages;

  /// The stage called `name`, or null.
  const stage_spec* find(std::string_view stage) const;
};

/// Reads and validates a job file; `overrides` are `--section.key=value`
/// arguments that replace engine settings of the file. Errors name file,
/// line and key.
[[nodiscard]] caf::expected<job_spec>
read_job_file(const std::string& path,
              const std::vector<std::string>& overrides = {});

/// Validates a parsed job file (see `read_job_file`).
[[nodiscard]] caf::expected<job_spec>
make_job_spec(const ini_document& doc,
              const std::vector<std::string>& overrides = {});

/// The graph for people: one line per stage with its type, parallelism,
/// input and fields.
std::string describe_graph(const job_spec& job);

} // namespace sluice::config
