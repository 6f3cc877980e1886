#include "config/stage_catalog.hpp"

#include <algorithm>
#include <cassert>
#include <sstream>

namespace sluice::config {

namespace {

constexpr std::string_view aggregate_output
  = "the key, then the value named by `as`: a changelog, one record per key "
    "per batch that changed it";

constexpr std::string_view as_meaning
  = "the name of the value field (default: the type's name)";

constexpr std::string_view aggregated_field_meaning
  = "the integer or real field to aggregate";

constexpr std::string_view text_field_meaning
  = "the text field to read (default: the first text field)";

std::vector<stage_type_info> make_catalog() {
  using t = stage_type;
  using k = stage_kind;
  return {
    {t::file_source,
     "file-source",
     k::source,
     "the lines of a text file, read by one instance",
     {{"path", "the file to read, relative to the job file"}},
     {{"line", field_type::text}},
     {}},
    {t::generator,
     "generator",
     k::source,
     "deterministic records: an index and a value drawn from a seed",
     {{"count", "records to produce (absent: endless)"},
      {"seed", "the seed of the values (default: 0)"},
      {"rate", "records per second over all instances (absent: no limit)"},
      {"values", "the value runs from 0 to values - 1 (default: 100)"}},
     {{"index", field_type::integer}, {"value", field_type::integer}},
     {}},
    {t::split_words,
     "split-words",
     k::transform,
     "one record per word of a text field",
     {{"field", "the text field to split (default: the first text field)"}},
     {{"word", field_type::text}},
     {}},
    {t::extract_csv,
     "extract-csv",
     k::transform,
     "typed fields from a CSV line",
     {{"fields", "name[:type], ... one per column, types text (default), "
                 "integer, real; '_' skips a column"},
      {"field", text_field_meaning},
      {"separator", "the column separator, one character (default: ',')"},
      {"on-error", "fail or skip a line that does not fit (default: fail)"}},
     {},
     "the fields named by `fields`"},
    {t::extract_json,
     "extract-json",
     k::transform,
     "typed fields from a JSON object on one line",
     {{"fields", "name[:type], ... top-level members, types text (default), "
                 "integer, real"},
      {"field", text_field_meaning},
      {"on-error", "fail or skip a line that does not fit (default: fail)"}},
     {},
     "the fields named by `fields`"},
    {t::filter,
     "filter",
     k::transform,
     "the records whose field compares true with a value",
     {{"field", "the field to compare"},
      {"op", "==, !=, <, <=, >, >= or contains (text fields only)"},
      {"value", "the value to compare with, of the field's type"}},
     {},
     "its input's fields"},
    {t::key_by,
     "key-by",
     k::key_by,
     "partitions by a field: the stages reading it get the records "
     "hash-partitioned, equal values in one instance; runs no instances",
     {{"field", "the field to partition by"}},
     {},
     "its input's fields"},
    {t::count,
     "count",
     k::transform,
     "per key, the number of records so far; reads a key-by stage",
     {{"as", as_meaning}},
     {},
     aggregate_output},
    {t::sum,
     "sum",
     k::transform,
     "per key, the sum of a field; reads a key-by stage",
     {{"field", aggregated_field_meaning}, {"as", as_meaning}},
     {},
     aggregate_output},
    {t::min,
     "min",
     k::transform,
     "per key, the smallest value of a field; reads a key-by stage",
     {{"field", aggregated_field_meaning}, {"as", as_meaning}},
     {},
     aggregate_output},
    {t::max,
     "max",
     k::transform,
     "per key, the largest value of a field; reads a key-by stage",
     {{"field", aggregated_field_meaning}, {"as", as_meaning}},
     {},
     aggregate_output},
    {t::window_count,
     "window-count",
     k::transform,
     "per key and tumbling window of processing time, the number of "
     "records; reads a key-by stage",
     {{"size", "the length of each window, such as 10s"},
      {"as", "the name of the count field (default: count)"}},
     {},
     "window_start (integer, ms since 1970), the key, the count"},
    {t::file_sink,
     "file-sink",
     k::sink,
     "one line of tab-separated fields per record, a file per instance",
     {{"path", "the file to write, relative to the job file; with several "
               "instances, instance i writes out-i.txt for out.txt"}},
     {},
     {}},
    {t::sqlite_sink,
     "sqlite-sink",
     k::sink,
     "one row per record in a SQLite table, exactly once: an epoch's rows "
     "become visible when its checkpoint completed",
     {{"path", "the database, relative to the job file"},
      {"table", "the table, a name not starting with sluice_"},
      {"key", "fields of a primary key: a row replaces the row with the "
              "same key (absent: rows are appended)"}},
     {},
     {}},
    {t::stdout_sink,
     "stdout",
     k::sink,
     "one line of tab-separated fields per record on standard output",
     {},
     {},
     {}},
  };
}

} // namespace

std::string to_string(stage_kind x) {
  switch (x) {
  case stage_kind::source:
    return "source";
  case stage_kind::transform:
    return "transform";
  case stage_kind::sink:
    return "sink";
  case stage_kind::key_by:
    return "key-by";
  }
  return "stage_kind(" + std::to_string(static_cast<int>(x)) + ")";
}

const std::vector<stage_type_info>& stage_catalog() {
  static const auto catalog = make_catalog();
  return catalog;
}

const stage_type_info& info_of(stage_type x) {
  auto& catalog = stage_catalog();
  auto i = static_cast<size_t>(x);
  assert(i < catalog.size() && catalog[i].type == x
         && "stage catalog out of the enum's order");
  return catalog[i];
}

const std::vector<stage_key>& kind_keys(stage_kind kind) {
  static constexpr stage_key input{"input", "the stage it reads"};
  static constexpr stage_key partitioning{
    "partitioning", "forward, rebalance or broadcast (default: forward "
                    "between equal parallelisms, rebalance otherwise)"};
  static constexpr stage_key parallelism{
    "parallelism", "instances (default: [engine] parallelism)"};
  static constexpr stage_key batch_size{
    "batch-size", "records per batch it sends (default: [engine] batch-size)"};
  static constexpr stage_key linger{
    "linger",
    "how long a partial batch may wait (default: [engine] batch-linger)"};
  static constexpr stage_key budget{
    "budget", "records each instance may hold waiting (default: [engine] "
              "max-buffered-records)"};
  static const std::vector<stage_key> source{parallelism, batch_size, linger};
  static const std::vector<stage_key> transform{
    input, partitioning, parallelism, batch_size, linger, budget};
  static const std::vector<stage_key> sink{input, partitioning, parallelism,
                                           budget};
  static const std::vector<stage_key> key_by{input};
  switch (kind) {
  case stage_kind::source:
    return source;
  case stage_kind::transform:
    return transform;
  case stage_kind::sink:
    return sink;
  case stage_kind::key_by:
    break;
  }
  return key_by;
}

std::vector<std::string> allowed_keys(stage_type x) {
  std::vector<std::string> keys{"type"};
  for (auto& k : kind_keys(kind_of(x)))
    keys.emplace_back(k.name);
  for (auto& k : info_of(x).keys)
    keys.emplace_back(k.name);
  return keys;
}

std::string to_string(stage_type x) {
  return std::string{info_of(x).name};
}

std::optional<stage_type> parse_stage_type(std::string_view text) {
  for (auto& info : stage_catalog())
    if (text == info.name)
      return info.type;
  return std::nullopt;
}

const std::vector<stage_type>& all_stage_types() {
  static const auto types = [] {
    std::vector<stage_type> result;
    for (auto& info : stage_catalog())
      result.push_back(info.type);
    return result;
  }();
  return types;
}

stage_kind kind_of(stage_type x) {
  return info_of(x).kind;
}

std::string describe_stage_types() {
  std::ostringstream os;
  auto key_lines = [&os](const std::vector<stage_key>& keys) {
    for (auto& k : keys)
      os << "    " << k.name
         << std::string(std::max<size_t>(14, k.name.size() + 2) - k.name.size(),
                        ' ')
         << k.meaning << "\n";
  };
  os << "A job file has one [stage.NAME] section per stage. Its `type` is one "
        "of the types\nbelow; every stage but a source has an `input`, the "
        "stage it reads.\n\nKeys of every stage of a kind:\n";
  for (auto kind : {stage_kind::source, stage_kind::transform, stage_kind::sink,
                    stage_kind::key_by}) {
    os << "  " << to_string(kind) << ":";
    for (auto& k : kind_keys(kind))
      os << " " << k.name;
    os << "\n";
  }
  key_lines(kind_keys(stage_kind::transform));
  os << "\nStage types:\n";
  for (auto& info : stage_catalog()) {
    os << "\n"
       << info.name << " (" << to_string(info.kind) << "): " << info.summary
       << "\n";
    key_lines(info.keys);
    if (!info.fields.empty())
      os << "  output: " << to_string(info.fields) << "\n";
    else if (!info.output.empty())
      os << "  output: " << info.output << "\n";
  }
  return os.str();
}

} // namespace sluice::config
