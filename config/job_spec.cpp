#include "config/job_spec.hpp"

#include "config/engine_options.hpp"
#include "config/file_claims.hpp"
#include "config/value_parsers.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <unistd.h>

namespace sluice::config {

// -- names --------------------------------------------------------------------

std::string to_string(compare_op x) {
  switch (x) {
  case compare_op::eq:
    return "==";
  case compare_op::ne:
    return "!=";
  case compare_op::lt:
    return "<";
  case compare_op::le:
    return "<=";
  case compare_op::gt:
    return ">";
  case compare_op::ge:
    return ">=";
  case compare_op::contains:
    return "contains";
  }
  return "compare_op(" + std::to_string(static_cast<int>(x)) + ")";
}

std::optional<compare_op> parse_compare_op(std::string_view text) {
  for (auto x : {compare_op::eq, compare_op::ne, compare_op::lt, compare_op::le,
                 compare_op::gt, compare_op::ge, compare_op::contains})
    if (text == to_string(x))
      return x;
  return std::nullopt;
}

const stage_spec* job_spec::find(std::string_view stage) const {
  for (auto& s : stages)
    if (s.name == stage)
      return &s;
  return nullptr;
}

namespace {

/// The range of a generator's `rate`, in records per second.
constexpr double min_rate = 0.001;
constexpr double max_rate = 1e9;

// -- reading sections ---------------------------------------------------------

/// Thrown inside the reader, returned as a value by its entry points.
struct failure {
  caf::error err;
};

[[noreturn]] void raise(caf::error err) {
  throw failure{std::move(err)};
}

std::string join(const std::vector<std::string>& xs) {
  std::string result;
  for (auto& x : xs)
    result += (result.empty() ? "" : ", ") + x;
  return result;
}

/// Typed access to the entries of one section; every failure names file,
/// line and key.
class section_reader {
public:
  explicit section_reader(const ini_section& section) : section_(section) {}

  const ini_section& section() const noexcept { return section_; }

  const ini_entry* find(std::string_view key) const {
    return section_.find(key);
  }

  const ini_entry& require(const std::string& key,
                           const std::string& what) const {
    if (auto* e = find(key))
      return *e;
    raise(missing_key_error(section_, key, what));
  }

  [[noreturn]] void fail(errc code, const ini_entry& e,
                         const std::string& text) const {
    raise(key_error(code, section_, e, text));
  }

  [[noreturn]] void wrong_type(const ini_entry& e,
                               const std::string& wanted) const {
    fail(errc::wrong_type, e, "expected " + wanted + ", got '" + e.value + "'");
  }

  std::optional<uint64_t> count(const std::string& key, uint64_t min,
                                uint64_t max) const {
    auto* e = find(key);
    if (e == nullptr)
      return std::nullopt;
    auto x = parse_unsigned(e->value);
    if (!x || *x < min || *x > max)
      wrong_type(*e, "an integer from " + std::to_string(min) + " to "
                       + std::to_string(max));
    return x;
  }

  std::optional<std::chrono::nanoseconds>
  duration(const std::string& key, std::chrono::nanoseconds min) const {
    auto* e = find(key);
    if (e == nullptr)
      return std::nullopt;
    auto x = parse_duration(e->value);
    if (!x || *x < min)
      wrong_type(*e, "a duration of at least " + format_duration(min)
                       + ", such as 500ms, 10s or 2min");
    return x;
  }

  std::optional<std::string> text(const std::string& key) const {
    if (auto* e = find(key))
      return e->value;
    return std::nullopt;
  }

  std::string identifier(const std::string& key,
                         const std::string& fallback) const {
    auto* e = find(key);
    if (e == nullptr)
      return fallback;
    if (!is_identifier(e->value))
      wrong_type(*e, "a name of letters, digits and '_'");
    return e->value;
  }

private:
  const ini_section& section_;
};

/// A stage while the reader works on it.
struct pending_stage {
  const ini_section* section;
  stage_spec spec;
  /// 0: not resolved, 1: being resolved, 2: resolved.
  int state = 0;
};

/// A file the job reads must exist and be readable now, so that a job
/// does not fail after it started.
void check_readable(const section_reader& r, const ini_entry& e,
                    const std::string& path) {
  std::error_code ec;
  auto status = std::filesystem::status(path, ec);
  if (status.type() == std::filesystem::file_type::not_found)
    r.fail(errc::unreadable_file, e,
           "input file '" + path + "' does not exist");
  if (ec)
    r.fail(errc::unreadable_file, e,
           "input file '" + path + "' cannot be read: " + ec.message());
  if (status.type() != std::filesystem::file_type::regular)
    r.fail(errc::unreadable_file, e,
           "input file '" + path + "' is not a regular file");
  std::ifstream in{path};
  if (!in)
    r.fail(errc::unreadable_file, e,
           "input file '" + path + "' cannot be read: " + std::strerror(errno));
}

/// Why `path` cannot be a file the job writes: it exists, but as a
/// folder, a device (`/dev/null`), a FIFO or a socket. Nothing when it is a
/// regular file or does not exist yet.
std::optional<std::string> not_a_file_problem(const std::string& path) {
  std::error_code ec;
  auto status = std::filesystem::status(path, ec);
  switch (status.type()) {
  case std::filesystem::file_type::not_found:
  case std::filesystem::file_type::regular:
    return std::nullopt;
  case std::filesystem::file_type::directory:
    return "is a folder";
  default:
    if (ec)
      return "cannot be examined: " + ec.message();
    return "is not a regular file";
  }
}

/// A file the job writes needs an existing folder, and must be a regular
/// file if it exists.
void check_writable_folder(const section_reader& r, const ini_entry& e,
                           const std::string& path) {
  auto parent = std::filesystem::path{path}.parent_path();
  std::error_code ec;
  if (!parent.empty() && !std::filesystem::is_directory(parent, ec))
    r.fail(errc::unreadable_file, e,
           "folder '" + parent.string() + "' of '" + path + "' does not exist");
  if (auto problem = not_a_file_problem(path))
    r.fail(errc::unreadable_file, e, "'" + path + "' " + *problem);
}

std::string resolve_path(const std::string& base, const std::string& path) {
  if (path.empty() || base.empty() || std::filesystem::path{path}.is_absolute())
    return path;
  return (std::filesystem::path{base} / path).lexically_normal().string();
}

/// `fields = name[:type], ...` of an extraction.
void read_fields(const section_reader& r, record_format format,
                 extract_options& opts, std::vector<field_def>& out) {
  auto& e = r.require("fields", "the fields to extract, as name[:type], ...");
  auto items = split_list(e.value);
  if (items.empty())
    r.wrong_type(e, "a list of fields such as 'city, amount:real'");
  size_t column = 0;
  for (auto& item : items) {
    auto colon = item.find(':');
    auto name = item.substr(0, colon);
    auto type = field_type::text;
    if (colon != std::string::npos) {
      auto t = parse_field_type(item.substr(colon + 1));
      if (!t)
        r.fail(errc::wrong_type, e,
               "field '" + name + "' has type '" + item.substr(colon + 1)
                 + "'; types are text, integer, real");
      type = *t;
    }
    if (name == "_" && format == record_format::csv) {
      ++column; // a column left out
      continue;
    }
    if (!is_identifier(name))
      r.fail(errc::wrong_type, e,
             "field name '" + name + "' must be letters, digits and '_'");
    if (index_of(out, name))
      r.fail(errc::duplicate, e, "field '" + name + "' appears twice");
    out.push_back(field_def{name, type});
    opts.columns.push_back(column++);
  }
  if (out.empty())
    r.wrong_type(e, "at least one field that is not '_'");
}

/// The field a key names in the records read.
size_t field_ref(const section_reader& r, const ini_entry& e,
                 const stage_spec& s) {
  auto i = index_of(s.input_fields, e.value);
  if (!i)
    r.fail(errc::wrong_type, e,
           "no field '" + e.value + "' in the records of '" + s.input
             + "'; they have " + to_string(s.input_fields));
  return *i;
}

/// The text field named by `field`, or the first text field.
size_t text_field(const section_reader& r, const stage_spec& s) {
  if (auto* e = r.find("field")) {
    auto i = field_ref(r, *e, s);
    if (s.input_fields[i].type != field_type::text)
      r.fail(errc::wrong_type, *e,
             "field '" + e->value + "' is " + to_string(s.input_fields[i].type)
               + ", not text");
    return i;
  }
  for (size_t i = 0; i < s.input_fields.size(); ++i)
    if (s.input_fields[i].type == field_type::text)
      return i;
  raise(section_error(errc::wrong_type, r.section(),
                      "the records of '" + s.input
                        + "' have no text field; they have "
                        + to_string(s.input_fields)));
}

// -- the reader ---------------------------------------------------------------

class job_reader {
public:
  explicit job_reader(const ini_document& doc) : doc_(doc) {
    base_dir_ = std::filesystem::path{doc.file()}.parent_path().string();
  }

  job_spec read(const std::vector<std::string>& overrides) {
    job_.file = doc_.file();
    job_.name = std::filesystem::path{doc_.file()}.stem().string();
    for (auto& section : doc_.sections())
      read_section(section);
    for (auto& arg : overrides)
      if (auto err = apply_engine_override(arg, job_.settings))
        raise(std::move(err));
    if (auto err = check_engine_settings(job_.settings, doc_, overrides))
      raise(std::move(err));
    check_store(overrides);
    check_log_file(overrides);
    if (stages_.empty())
      raise(caf::make_error(errc::missing_key,
                            doc_.file()
                              + ": the job has no stages; declare them as "
                                "[stage.NAME] sections"));
    for (auto& p : stages_)
      link_input(p);
    for (auto& p : stages_)
      find_cycle(p);
    for (auto& p : stages_)
      resolve(p);
    for (auto& p : stages_)
      check_parallelism(p, overrides);
    for (auto& p : stages_)
      check_partitioning(p);
    check_files(overrides);
    // Key-by stages stay in the description: the graph shows them.
    for (auto& p : stages_)
      job_.stages.push_back(std::move(p.spec));
    return std::move(job_);
  }

private:
  void read_section(const ini_section& section) {
    if (section.name == "job") {
      section_reader r{section};
      for (auto& e : section.entries)
        if (e.key != "name")
          r.fail(errc::unknown_key, e, "unknown key; [job] knows name");
      if (auto name = r.text("name")) {
        if (name->empty())
          r.wrong_type(*r.find("name"), "a name");
        job_.name = *name;
      }
      return;
    }
    if (is_engine_section(section.name)) {
      if (auto err = apply_engine_section(section, job_.settings, base_dir_))
        raise(std::move(err));
      return;
    }
    if (section.name == "nodes") {
      if (auto err = read_nodes_section(section, job_.settings.cluster.nodes))
        raise(std::move(err));
      return;
    }
    constexpr std::string_view prefix = "stage.";
    if (section.name.compare(0, prefix.size(), prefix) == 0) {
      read_stage(section, section.name.substr(prefix.size()));
      return;
    }
    raise(section_error(errc::unknown_section, section,
                        "unknown section; a job file has [job], "
                        "[stage.NAME], [nodes] and the engine sections "
                          + engine_section_names()));
  }

  caf::error setting_error(const std::vector<std::string>& overrides,
                           const std::string& section, const std::string& key,
                           const std::string& text) const {
    return config::setting_error(errc::unreadable_file, doc_, overrides,
                                 section, key, text);
  }

  void check_store(const std::vector<std::string>& overrides) {
    auto& store = job_.settings.checkpoints.store;
    if (store.empty())
      return;
    auto parent = std::filesystem::path{store}.parent_path();
    std::error_code ec;
    if (!parent.empty() && !std::filesystem::is_directory(parent, ec))
      raise(setting_error(overrides, "checkpoints", "store",
                          "folder '" + parent.string()
                            + "' of the checkpoint store '" + store
                            + "' does not exist"));
    if (auto problem = not_a_file_problem(store))
      raise(setting_error(overrides, "checkpoints", "store",
                          "the checkpoint store '" + store + "' " + *problem));
  }

  /// The event log must open now: a job that cannot log its failures
  /// must not start (and must not log elsewhere without saying so).
  void check_log_file(const std::vector<std::string>& overrides) {
    if (auto problem = log_file_problem(job_.settings.log.file))
      raise(setting_error(overrides, "log", "file", *problem));
  }

  void read_stage(const ini_section& section, const std::string& name) {
    section_reader r{section};
    if (name.empty() || name.find('.') != std::string::npos)
      raise(section_error(errc::unknown_section, section,
                          "a stage section is [stage.NAME], with a NAME of "
                          "letters, digits, '-' and '_'"));
    auto& type_entry
      = r.require("type", "the stage's operator, one of " + type_names());
    auto type = parse_stage_type(type_entry.value);
    if (!type)
      r.fail(errc::unknown_operator, type_entry,
             "unknown operator type '" + type_entry.value + "'; types are "
               + type_names());
    auto allowed = allowed_keys(*type);
    for (auto& e : section.entries)
      if (std::find(allowed.begin(), allowed.end(), e.key) == allowed.end())
        r.fail(errc::unknown_key, e,
               "unknown key for a " + to_string(*type) + " stage; it knows "
                 + join(allowed));
    pending_stage p{&section, {}};
    auto& s = p.spec;
    s.name = name;
    s.type = *type;
    s.where = section.where;
    if (kind_of(*type) != stage_kind::source) {
      auto& e = r.require("input", "the stage it reads from");
      s.input = e.value;
      s.input_where = e.where;
    }
    // Checked against key-groups once the whole file and the command line
    // are read (`check_parallelism`).
    if (auto* e = r.find("parallelism")) {
      auto n = parse_unsigned(e->value);
      if (!n || *n < 1 || *n > UINT32_MAX)
        r.wrong_type(*e, "a positive integer, at most [engine] key-groups");
      s.parallelism = static_cast<uint32_t>(*n);
    }
    if (auto n = r.count("batch-size", 1, UINT32_MAX))
      s.batch_size = static_cast<uint32_t>(*n);
    if (auto n = r.count("budget", 1, UINT64_MAX))
      s.budget = *n;
    s.linger = r.duration("linger", std::chrono::nanoseconds{0});
    if (auto* e = r.find("partitioning")) {
      auto by = protocol::parse_partitioning(e->value);
      if (!by || *by == protocol::partitioning::hash)
        r.wrong_type(*e, "forward, rebalance or broadcast (a key-by stage "
                         "partitions by key)");
      s.partitioning = by;
    }
    read_options(r, s);
    stages_.push_back(std::move(p));
  }

  static std::string type_names() {
    std::vector<std::string> names;
    for (auto x : all_stage_types())
      names.push_back(to_string(x));
    return join(names);
  }

  /// Options that need no knowledge of the input's fields.
  void read_options(const section_reader& r, stage_spec& s) {
    switch (s.type) {
    case stage_type::file_source: {
      auto& e = r.require("path", "the file to read");
      auto path = resolve_path(base_dir_, e.value);
      check_readable(r, e, path);
      if (s.parallelism && *s.parallelism > 1)
        r.fail(errc::wrong_type, *r.find("parallelism"),
               "a file-source reads its file with one instance");
      s.parallelism = 1;
      s.options = file_source_options{path};
      s.output = info_of(s.type).fields;
      break;
    }
    case stage_type::generator: {
      generator_options opts;
      opts.count = r.count("count", 0, UINT64_MAX);
      opts.seed = r.count("seed", 0, UINT64_MAX).value_or(0);
      opts.values = r.count("values", 1, UINT64_MAX).value_or(100);
      if (auto* e = r.find("rate")) {
        // Beyond these bounds the pacing arithmetic leaves the range of
        // its types: a source would spin or sleep for ages.
        auto rate = parse_real(e->value);
        if (!rate || *rate < min_rate || *rate > max_rate)
          r.wrong_type(*e, "records per second, a number from 0.001 to 1e9");
        opts.rate = rate;
      }
      s.options = opts;
      s.output = info_of(s.type).fields;
      break;
    }
    case stage_type::split_words:
      s.options = split_words_options{};
      s.output = info_of(s.type).fields;
      break;
    case stage_type::extract_csv:
    case stage_type::extract_json: {
      extract_options opts;
      opts.format = s.type == stage_type::extract_csv ? record_format::csv
                                                      : record_format::json;
      read_fields(r, opts.format, opts, s.output);
      if (auto* e = r.find("separator")) {
        if (e->value.size() != 1 || e->value[0] == '"')
          r.wrong_type(*e, "one character, such as \",\", \";\" or \"\\t\"");
        opts.separator = e->value[0];
      }
      if (auto* e = r.find("on-error")) {
        if (e->value == "fail")
          opts.errors = on_error::fail;
        else if (e->value == "skip")
          opts.errors = on_error::skip;
        else
          r.wrong_type(*e, "fail or skip");
      }
      s.options = opts;
      break;
    }
    case stage_type::filter: {
      filter_options opts;
      auto& e = r.require("op", "the comparison: ==, !=, <, <=, >, >= or "
                                "contains");
      auto op = parse_compare_op(e.value);
      if (!op)
        r.wrong_type(e, "one of ==, !=, <, <=, >, >=, contains");
      opts.op = *op;
      s.options = opts;
      break;
    }
    case stage_type::key_by:
      s.options = key_by_options{};
      break;
    case stage_type::count:
    case stage_type::sum:
    case stage_type::min:
    case stage_type::max:
      s.options = aggregate_options{};
      break;
    case stage_type::window_count: {
      window_count_options opts;
      r.require("size", "the length of each window, such as 10s");
      opts.size = *r.duration("size", std::chrono::milliseconds{1});
      s.options = opts;
      break;
    }
    case stage_type::file_sink: {
      auto& e = r.require("path", "the file to write");
      auto path = resolve_path(base_dir_, e.value);
      check_writable_folder(r, e, path);
      s.options = file_sink_options{path};
      break;
    }
    case stage_type::sqlite_sink: {
      sqlite_sink_options opts;
      auto& e = r.require("path", "the SQLite database to write");
      opts.path = resolve_path(base_dir_, e.value);
      check_writable_folder(r, e, opts.path);
      auto& t = r.require("table", "the table to write");
      if (!is_identifier(t.value) || t.value.rfind("sluice_", 0) == 0)
        r.wrong_type(t, "a table name of letters, digits and '_' that does "
                        "not start with 'sluice_'");
      opts.table = t.value;
      s.options = opts;
      break;
    }
    case stage_type::stdout_sink:
      s.options = stdout_sink_options{};
      break;
    }
  }

  pending_stage* find(const std::string& name) {
    for (auto& p : stages_)
      if (p.spec.name == name)
        return &p;
    return nullptr;
  }

  void link_input(pending_stage& p) {
    auto& s = p.spec;
    if (s.input.empty())
      return;
    section_reader r{*p.section};
    auto& e = *r.find("input");
    auto* from = find(s.input);
    if (from == nullptr) {
      std::vector<std::string> names;
      for (auto& q : stages_)
        if (q.spec.kind() != stage_kind::sink && &q != &p)
          names.push_back(q.spec.name);
      r.fail(errc::missing_input, e,
             "no stage '" + s.input + "' to read from; stages with output are "
               + (names.empty() ? std::string{"none"} : join(names)));
    }
    if (from->spec.kind() == stage_kind::sink)
      r.fail(errc::missing_input, e,
             "stage '" + s.input + "' is a sink (" + to_string(from->spec.type)
               + "): it has no output to read");
  }

  /// Raises when following the inputs from `p` comes back to a stage on
  /// the way: every stage reads one input, so the walk is a chain.
  void find_cycle(pending_stage& p) {
    std::vector<pending_stage*> path;
    for (auto* q = &p; q != nullptr && !q->spec.input.empty();
         q = find(q->spec.input)) {
      auto loop = std::find(path.begin(), path.end(), q);
      if (loop != path.end()) {
        if (*loop != &p)
          return; // reported from the stage that starts the cycle
        std::string text;
        for (auto i = loop; i != path.end(); ++i)
          text
            += "'" + (*i)->spec.name + "' reads '" + (*i)->spec.input + "', ";
        text.resize(text.size() - 2);
        section_reader r{*p.section};
        r.fail(errc::cycle, *r.find("input"),
               "the stages form a cycle: " + text);
      }
      path.push_back(q);
    }
  }

  /// Works out the fields of `p`'s input and output, inputs first.
  void resolve(pending_stage& p) {
    if (p.state == 2)
      return;
    p.state = 1;
    auto& s = p.spec;
    section_reader r{*p.section};
    if (!s.input.empty()) {
      auto* from = find(s.input);
      resolve(*from);
      s.input_fields = from->spec.output;
      if (from->spec.kind() == stage_kind::key_by) {
        s.reads = from->spec.reads;
        s.key = std::get<key_by_options>(from->spec.options).field;
      } else {
        s.reads = from->spec.name;
      }
    }
    resolve_fields(r, s);
    p.state = 2;
  }

  /// Options that name fields of the input.
  void resolve_fields(const section_reader& r, stage_spec& s) {
    switch (s.type) {
    case stage_type::split_words:
      std::get<split_words_options>(s.options).field = text_field(r, s);
      break;
    case stage_type::extract_csv:
    case stage_type::extract_json:
      std::get<extract_options>(s.options).field = text_field(r, s);
      break;
    case stage_type::filter: {
      auto& opts = std::get<filter_options>(s.options);
      auto& f = r.require("field", "the field to compare");
      opts.field = field_ref(r, f, s);
      auto type = s.input_fields[opts.field].type;
      auto& v = r.require("value", "the value to compare with");
      if (opts.op == compare_op::contains && type != field_type::text)
        r.fail(errc::wrong_type, *r.find("op"),
               "'contains' needs a text field; '" + f.value + "' is "
                 + to_string(type));
      auto operand = parse_field_value(v.value, type);
      if (!operand)
        r.wrong_type(
          v,
          std::string{type == field_type::integer ? "an integer" : "a number"}
            + ", as field '" + f.value + "' is " + to_string(type));
      opts.operand = std::move(*operand);
      s.output = s.input_fields;
      break;
    }
    case stage_type::key_by: {
      auto& f = r.require("field", "the field to partition by");
      std::get<key_by_options>(s.options).field = field_ref(r, f, s);
      s.output = s.input_fields;
      break;
    }
    case stage_type::count:
    case stage_type::sum:
    case stage_type::min:
    case stage_type::max:
    case stage_type::window_count:
      resolve_aggregate(r, s);
      break;
    case stage_type::sqlite_sink: {
      auto& opts = std::get<sqlite_sink_options>(s.options);
      if (auto* e = r.find("key")) {
        for (auto& name : split_list(e->value)) {
          if (!index_of(s.input_fields, name))
            r.fail(errc::wrong_type, *e,
                   "no field '" + name + "' in the records of '" + s.input
                     + "'; they have " + to_string(s.input_fields));
          opts.key.push_back(name);
        }
        if (opts.key.empty())
          r.wrong_type(*e, "a list of fields");
      }
      break;
    }
    default:
      break;
    }
  }

  void resolve_aggregate(const section_reader& r, stage_spec& s) {
    if (!s.key)
      raise(key_error(errc::invalid_graph, r.section(), *r.find("input"),
                      "a " + to_string(s.type) + " stage works per key, but '"
                        + s.input
                        + "' is not a key-by stage; read from "
                          "a key-by stage"));
    auto key = s.input_fields[*s.key];
    auto value = field_def{"", field_type::integer};
    if (s.type == stage_type::sum || s.type == stage_type::min
        || s.type == stage_type::max) {
      auto& f = r.require("field", "the numeric field to aggregate");
      auto i = field_ref(r, f, s);
      if (s.input_fields[i].type == field_type::text)
        r.fail(errc::wrong_type, f,
               "field '" + f.value + "' is text; a " + to_string(s.type)
                 + " needs an integer or real field");
      std::get<aggregate_options>(s.options).field = i;
      value.type = s.input_fields[i].type;
    }
    auto fallback = s.type == stage_type::window_count ? std::string{"count"}
                                                       : to_string(s.type);
    value.name = r.identifier("as", fallback);
    s.output.clear();
    if (s.type == stage_type::window_count)
      s.output.push_back({"window_start", field_type::integer});
    s.output.push_back(key);
    if (index_of(s.output, value.name)) {
      auto* e = r.find("as");
      auto text = "the output already has a field '" + value.name
                  + "'; choose another name";
      if (e != nullptr)
        r.fail(errc::duplicate, *e, text);
      raise(
        section_error(errc::duplicate, r.section(), text + " with key 'as'"));
    }
    s.output.push_back(value);
  }

  uint32_t parallelism_of(const stage_spec& s) const {
    return s.parallelism.value_or(job_.settings.parallelism);
  }

  /// A stage's own parallelism against key-groups, which may come later
  /// in the file or from the command line.
  void check_parallelism(const pending_stage& p,
                         const std::vector<std::string>& overrides) {
    auto groups = job_.settings.key_groups;
    if (!p.spec.parallelism || *p.spec.parallelism <= groups)
      return;
    section_reader r{*p.section};
    r.fail(errc::wrong_type, *r.find("parallelism"),
           std::to_string(*p.spec.parallelism) + " is above [engine] "
             + "key-groups (" + std::to_string(groups) + ", "
             + origin_of(doc_, overrides, "engine", "key-groups") + ")");
  }

  /// What the job writes must not be what it reads, and two stages must
  /// not write one file: either would destroy data without a word.
  void check_files(const std::vector<std::string>& overrides) {
    // Who claims each file: a stage (its `path` key) or an engine setting.
    struct claimant {
      std::string who;
      const ini_section* section;
      std::string setting_section;
      std::string key;
    };
    std::vector<file_claim> claims;
    std::vector<claimant> by;
    for (auto& p : stages_) {
      auto& s = p.spec;
      claimant c{
        to_string(s.type) + " '" + s.name + "'", p.section, {}, "path"};
      if (auto* in = std::get_if<file_source_options>(&s.options))
        claims.push_back({in->path, 1, false, {}});
      else if (auto* out = std::get_if<file_sink_options>(&s.options))
        claims.push_back({out->path, parallelism_of(s), true, {}});
      else if (auto* db = std::get_if<sqlite_sink_options>(&s.options))
        claims.push_back({db->path, 1, true, db->table});
      else
        continue;
      by.push_back(std::move(c));
    }
    auto& settings = job_.settings;
    if (settings.checkpoints.enabled()) {
      // Its tables start with "sluice_", which sink tables may not.
      claims.push_back({settings.checkpoints.store, 1, true, "sluice_"});
      by.push_back({"the checkpoint store", nullptr, "checkpoints", "store"});
    }
    if (!settings.log.file.empty()) {
      claims.push_back({settings.log.file, 1, true, {}});
      by.push_back({"the event log", nullptr, "log", "file"});
    }
    auto conflict = find_conflict(claims);
    if (!conflict)
      return;
    auto [later, earlier] = *conflict;
    auto& a = by[earlier];
    auto& b = by[later];
    auto at = a.section != nullptr
                ? std::optional<source_position>{a.section->find(a.key)->where}
                : where_set(doc_, overrides, a.setting_section, a.key);
    auto first = a.who + (at ? " (" + to_string(*at) + ")" : std::string{});
    auto file = "'" + claims[later].path + "'";
    std::string text;
    if (!claims[earlier].writes)
      text = file + " is the input of " + first
             + "; writing it would destroy the input";
    else if (!claims[later].writes)
      text = file + " is written by " + first
             + "; the job would read its own output";
    else
      text = file + " is written by " + first
             + " too; two outputs would overwrite each other";
    if (b.section != nullptr) {
      section_reader r{*b.section};
      r.fail(errc::duplicate, *r.find(b.key), text);
    }
    raise(config::setting_error(errc::duplicate, doc_, overrides,
                                b.setting_section, b.key, text));
  }

  void check_partitioning(pending_stage& p) {
    auto& s = p.spec;
    auto* e = p.section->find("partitioning");
    if (e == nullptr || s.reads.empty())
      return;
    section_reader r{*p.section};
    if (s.key)
      r.fail(errc::invalid_graph, *e,
             "the input is keyed by a key-by stage, so records go by key; "
             "remove this key");
    auto& from = find(s.reads)->spec;
    if (*s.partitioning == protocol::partitioning::forward
        && parallelism_of(s) != parallelism_of(from))
      r.fail(errc::invalid_graph, *e,
             "forward connects instance i to instance i, but '" + from.name
               + "' runs " + std::to_string(parallelism_of(from))
               + " instances and this stage "
               + std::to_string(parallelism_of(s)));
  }

  const ini_document& doc_;
  std::string base_dir_;
  job_spec job_;
  std::vector<pending_stage> stages_;
};

} // namespace

caf::expected<job_spec>
make_job_spec(const ini_document& doc,
              const std::vector<std::string>& overrides) {
  try {
    return job_reader{doc}.read(overrides);
  } catch (failure& f) {
    return std::move(f.err);
  }
}

caf::expected<job_spec>
read_job_file(const std::string& path,
              const std::vector<std::string>& overrides) {
  auto doc = ini_document::read(path);
  if (!doc)
    return std::move(doc.error());
  return make_job_spec(*doc, overrides);
}

// -- the graph for people -----------------------------------------------------

namespace {

std::string options_text(const stage_spec& s) {
  auto field = [&](size_t i) { return s.input_fields.at(i).name; };
  auto quoted = [](const std::string& x) { return "'" + x + "'"; };
  return std::visit(
    [&](const auto& o) -> std::string {
      using T = std::decay_t<decltype(o)>;
      if constexpr (
        std::is_same_v<
          T, file_source_options> || std::is_same_v<T, file_sink_options>) {
        return "path " + quoted(o.path);
      } else if constexpr (std::is_same_v<T, generator_options>) {
        std::string text = o.count ? std::to_string(*o.count) + " records"
                                   : std::string{"endless"};
        text += ", seed " + std::to_string(o.seed);
        if (o.rate) {
          std::ostringstream os;
          os << *o.rate;
          text += ", " + os.str() + " records/s";
        }
        return text + ", values 0.." + std::to_string(o.values - 1);
      } else if constexpr (std::is_same_v<T, split_words_options>) {
        return "splits " + field(o.field);
      } else if constexpr (std::is_same_v<T, extract_options>) {
        return "from " + field(o.field)
               + (o.errors == on_error::skip ? ", skips bad records"
                                             : ", fails on bad records");
      } else if constexpr (std::is_same_v<T, filter_options>) {
        return field(o.field) + " " + to_string(o.op) + " "
               + quoted(to_text(o.operand));
      } else if constexpr (std::is_same_v<T, key_by_options>) {
        return "by " + field(o.field);
      } else if constexpr (std::is_same_v<T, aggregate_options>) {
        return o.field ? "of " + field(*o.field) : std::string{};
      } else if constexpr (std::is_same_v<T, window_count_options>) {
        return "windows of " + format_duration(o.size);
      } else if constexpr (std::is_same_v<T, sqlite_sink_options>) {
        std::string key;
        for (auto& k : o.key)
          key += (key.empty() ? "" : ", ") + k;
        return "table " + o.table + " in " + quoted(o.path)
               + (key.empty() ? ", appends" : ", key (" + key + ")");
      } else {
        return {};
      }
    },
    s.options);
}

} // namespace

std::string describe_graph(const job_spec& job) {
  std::ostringstream os;
  auto parallelism = [&](const stage_spec& s) {
    return s.parallelism.value_or(job.settings.parallelism);
  };
  os << "job '" << job.name << "' from " << job.file << ": "
     << job.stages.size() << " stages\n";
  for (auto& s : job.stages) {
    os << "  " << s.name << " (" << to_string(s.type);
    if (s.kind() != stage_kind::key_by)
      os << " x" << parallelism(s);
    os << ")";
    if (!s.input.empty()) {
      os << " <- " << s.input;
      if (s.kind() != stage_kind::key_by) {
        if (s.key)
          os << " [hash by " << s.input_fields[*s.key].name << "]";
        else if (s.partitioning)
          os << " [" << protocol::to_string(*s.partitioning) << "]";
        else
          os << (parallelism(s) == parallelism(*job.find(s.reads))
                   ? " [forward]"
                   : " [rebalance]");
      }
    }
    auto opts = options_text(s);
    if (!opts.empty())
      os << ": " << opts;
    os << "\n";
    if (!s.output.empty() && s.kind() != stage_kind::key_by)
      os << "      -> " << to_string(s.output) << "\n";
  }
  auto& cp = job.settings.checkpoints;
  if (cp.enabled() && cp.targets.adaptive())
    os << "checkpoints: adaptive, every "
       << format_duration(cp.targets.min_interval) << " to "
       << format_duration(cp.targets.max_interval) << ", to '" << cp.store
       << "', " << protocol::to_string(cp.mode) << "\n";
  else if (cp.enabled())
    os << "checkpoints: every " << format_duration(cp.interval) << " to '"
       << cp.store << "', " << protocol::to_string(cp.mode) << "\n";
  else
    os << "checkpoints: none (no [checkpoints] store)\n";
  return os.str();
}

} // namespace sluice::config
