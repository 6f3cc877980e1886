#include "config/engine_options.hpp"

#include "config/value_parsers.hpp"

#include <filesystem>
#include <limits>
#include <sstream>

namespace sluice::config {

namespace {

using setter = std::function<std::optional<std::string>(
  engine_settings&, const std::string&, const std::string&)>;

/// `Ref` is a generic lambda returning a reference to the field in a
/// (const or not) `engine_settings`, so one lambda serves set and get.
template <class Int, class Ref>
engine_option count_option(std::string section, std::string key,
                           std::string help, Ref ref, uint64_t min = 1,
                           uint64_t max = std::numeric_limits<Int>::max()) {
  auto set = [ref, min, max](engine_settings& s, const std::string& text,
                             const std::string&) -> std::optional<std::string> {
    auto x = parse_unsigned(text);
    if (!x || *x < min || *x > max)
      return "an integer from " + std::to_string(min) + " to "
             + std::to_string(max);
    ref(s) = static_cast<Int>(*x);
    return std::nullopt;
  };
  auto get = [ref](const engine_settings& s) { return std::to_string(ref(s)); };
  return {
    std::move(section), std::move(key), "integer", std::move(help), set, get};
}

/// `min`: the shortest duration allowed.
template <class Ref>
engine_option
duration_option(std::string section, std::string key, std::string help, Ref ref,
                std::chrono::nanoseconds min = std::chrono::nanoseconds{1}) {
  auto set = [ref, min](engine_settings& s, const std::string& text,
                        const std::string&) -> std::optional<std::string> {
    auto x = parse_duration(text);
    if (!x || *x < min)
      return min.count() == 0
               ? "a duration such as 500ms, 10s or 2min, or 0"
               : "a duration above 0, such as 500ms, 10s or 2min";
    ref(s) = *x;
    return std::nullopt;
  };
  auto get
    = [ref](const engine_settings& s) { return format_duration(ref(s)); };
  return {
    std::move(section), std::move(key), "duration", std::move(help), set, get};
}

template <class Ref>
engine_option real_option(std::string section, std::string key,
                          std::string help, Ref ref, double min, double max) {
  auto set = [ref, min, max](engine_settings& s, const std::string& text,
                             const std::string&) -> std::optional<std::string> {
    auto x = parse_real(text);
    if (!x || *x < min || *x > max) {
      std::ostringstream os;
      os << "a number from " << min << " to " << max;
      return os.str();
    }
    ref(s) = *x;
    return std::nullopt;
  };
  auto get = [ref](const engine_settings& s) {
    std::ostringstream os;
    os << ref(s);
    return os.str();
  };
  return {
    std::move(section), std::move(key), "number", std::move(help), set, get};
}

enum class text_kind { plain, path };

template <class Ref>
engine_option text_option(std::string section, std::string key,
                          std::string help, Ref ref, text_kind kind) {
  auto set
    = [ref, kind](engine_settings& s, const std::string& text,
                  const std::string& base) -> std::optional<std::string> {
    if (kind == text_kind::path && !text.empty() && !base.empty()
        && std::filesystem::path{text}.is_relative())
      ref(s) = (std::filesystem::path{base} / text).lexically_normal().string();
    else
      ref(s) = text;
    return std::nullopt;
  };
  auto get = [ref](const engine_settings& s) {
    return ref(s).empty() ? std::string{"\"\""} : ref(s);
  };
  return {std::move(section),
          std::move(key),
          kind == text_kind::path ? "path" : "text",
          std::move(help),
          set,
          get};
}

/// A value from a fixed set of words; `Enum` has `to_string`.
template <class Enum, class Ref>
engine_option choice_option(std::string section, std::string key,
                            std::string help, Ref ref,
                            std::vector<std::pair<std::string, Enum>> words) {
  std::string type;
  for (auto& w : words)
    type += (type.empty() ? "" : "|") + w.first;
  auto set
    = [ref, words, type](engine_settings& s, const std::string& text,
                         const std::string&) -> std::optional<std::string> {
    for (auto& w : words)
      if (w.first == text) {
        ref(s) = w.second;
        return std::nullopt;
      }
    return "one of " + type;
  };
  auto get = [ref, words](const engine_settings& s) {
    for (auto& w : words)
      if (w.second == ref(s))
        return w.first;
    return std::string{"?"};
  };
  return {std::move(section), std::move(key), type, std::move(help), set, get};
}

std::vector<engine_option> make_options() {
  using std::chrono::nanoseconds;
  std::vector<engine_option> xs;
  // -- [engine] -------------------------------------------------------------
  xs.push_back(count_option<uint32_t>(
    "engine", "parallelism",
    "Instances per stage, unless a stage sets its own.",
    [](auto& s) -> auto& { return s.parallelism; }));
  xs.push_back(count_option<uint32_t>(
    "engine", "batch-size", "Records per batch; a full batch leaves at once.",
    [](auto& s) -> auto& { return s.batch_size; }));
  xs.push_back(duration_option(
    "engine", "batch-linger",
    "How long a partial batch waits for more records before it leaves.",
    [](auto& s) -> auto& { return s.batch_linger; }, nanoseconds{0}));
  xs.push_back(count_option<uint64_t>(
    "engine", "max-buffered-records",
    "Records an instance may hold waiting, over all its inputs.",
    [](auto& s) -> auto& { return s.max_buffered_records; }));
  xs.push_back(count_option<uint32_t>(
    "engine", "key-groups",
    "Key groups: the largest parallelism of a keyed stage; fixed for the "
    "life of a job's checkpoints.",
    [](auto& s) -> auto& { return s.key_groups; }));
  xs.push_back(duration_option(
    "engine", "latency-interval",
    "How often each source sends a latency marker through the job; 0: no "
    "latency measurement.",
    [](auto& s) -> auto& { return s.latency_interval; }, nanoseconds{0}));
  // -- [scheduler] ----------------------------------------------------------
  // More threads than this buys nothing on any machine Sluice targets, and
  // far more fail to start (CAF then aborts the process).
  xs.push_back(count_option<uint32_t>(
    "scheduler", "threads", "Worker threads, at most 256; 0: one per core.",
    [](auto& s) -> auto& { return s.scheduler.threads; }, 0, 256));
  xs.push_back(count_option<uint32_t>(
    "scheduler", "max-throughput",
    "Messages an actor handles before it yields its thread.",
    [](auto& s) -> auto& { return s.scheduler.max_throughput; }));
  // -- [checkpoints] --------------------------------------------------------
  xs.push_back(text_option(
    "checkpoints", "store",
    "The job's SQLite checkpoint store; empty: no checkpoints. `sluice run` "
    "resumes from its latest checkpoint.",
    [](auto& s) -> auto& { return s.checkpoints.store; }, text_kind::path));
  xs.push_back(duration_option(
    "checkpoints", "interval",
    "Time between checkpoints; 0: only on request and at the end.",
    [](auto& s) -> auto& { return s.checkpoints.interval; }, nanoseconds{0}));
  xs.push_back(count_option<uint64_t>(
    "checkpoints", "max-replay-records",
    "At most this many records read again after a failure, over all "
    "sources: the interval adapts to the input rate, and sources wait at "
    "their share until a checkpoint commits. 0: no bound.",
    [](auto& s) -> auto& { return s.checkpoints.targets.max_replay_records; },
    0));
  xs.push_back(duration_option(
    "checkpoints", "max-replay-time",
    "At most the records read in this much time read again after a "
    "failure: the interval plus a checkpoint's duration. 0: no bound.",
    [](auto& s) -> auto& { return s.checkpoints.targets.max_replay_time; },
    nanoseconds{0}));
  xs.push_back(real_option(
    "checkpoints", "max-overhead",
    "At most this share of the time with a checkpoint in flight: "
    "checkpoints as often as that allows, unless a replay bound needs more. "
    "0: no target.",
    [](auto& s) -> auto& { return s.checkpoints.targets.max_overhead; }, 0.0,
    1.0));
  xs.push_back(duration_option(
    "checkpoints", "min-interval",
    "The shortest interval an adaptive job uses.",
    [](auto& s) -> auto& { return s.checkpoints.targets.min_interval; }));
  xs.push_back(duration_option(
    "checkpoints", "max-interval", "The longest interval an adaptive job uses.",
    [](auto& s) -> auto& { return s.checkpoints.targets.max_interval; }));
  xs.push_back(duration_option(
    "checkpoints", "timeout",
    "A checkpoint not completed by then is aborted; the job goes on.",
    [](auto& s) -> auto& { return s.checkpoints.timeout; }));
  xs.push_back(choice_option<protocol::checkpoint_mode>(
    "checkpoints", "mode",
    "exactly-once aligns barriers; at-least-once does not (replays may "
    "repeat records).",
    [](auto& s) -> auto& { return s.checkpoints.mode; },
    {{"exactly-once", protocol::checkpoint_mode::exactly_once},
     {"at-least-once", protocol::checkpoint_mode::at_least_once}}));
  xs.push_back(count_option<uint32_t>(
    "checkpoints", "max-concurrent", "Checkpoints in flight at once.",
    [](auto& s) -> auto& { return s.checkpoints.max_concurrent; }));
  xs.push_back(count_option<uint32_t>(
    "checkpoints", "retain", "Completed checkpoints kept.",
    [](auto& s) -> auto& { return s.checkpoints.retain; }));
  xs.push_back(count_option<uint32_t>(
    "checkpoints", "full-every",
    "A full snapshot every this many checkpoints, incremental ones between.",
    [](auto& s) -> auto& { return s.checkpoints.full_every; }));
  xs.push_back(count_option<uint32_t>(
    "checkpoints", "store-niceness",
    "How far the thread writing snapshots yields a busy core to the data "
    "path: a nice increment with batch scheduling; 0: same priority.",
    [](auto& s) -> auto& { return s.checkpoints.store_niceness; }, 0, 19));
  // -- [restarts] -----------------------------------------------------------
  xs.push_back(count_option<uint32_t>(
    "restarts", "max-restarts",
    "Restarts of failed instances allowed within the window; one more fails "
    "the job. 0: a failure fails the job.",
    [](auto& s) -> auto& { return s.restarts.max_restarts; }, 0));
  xs.push_back(duration_option(
    "restarts", "window", "The window max-restarts counts in.",
    [](auto& s) -> auto& { return s.restarts.window; }));
  xs.push_back(duration_option(
    "restarts", "initial-backoff",
    "Delay before the first restart; doubles with each restart in a row.",
    [](auto& s) -> auto& { return s.restarts.initial_backoff; },
    nanoseconds{0}));
  xs.push_back(duration_option(
    "restarts", "max-backoff", "The longest delay before a restart.",
    [](auto& s) -> auto& { return s.restarts.max_backoff; }, nanoseconds{0}));
  xs.push_back(real_option(
    "restarts", "jitter", "Each delay varies by up to this share either way.",
    [](auto& s) -> auto& { return s.restarts.jitter; }, 0.0, 1.0));
  // -- [log] ----------------------------------------------------------------
  xs.push_back(choice_option<log_level>(
    "log", "level", "Events below this level are not logged.",
    [](auto& s) -> auto& { return s.log.level; },
    {{"debug", log_level::debug},
     {"info", log_level::info},
     {"warning", log_level::warning},
     {"error", log_level::error},
     {"off", log_level::off}}));
  xs.push_back(text_option(
    "log", "file",
    "File the event log is appended to; its folder must exist. Empty: "
    "standard error.",
    [](auto& s) -> auto& { return s.log.file; }, text_kind::path));
  // -- [metrics] ------------------------------------------------------------
  xs.push_back(text_option(
    "metrics", "bind", "Address the metrics endpoint listens on.",
    [](auto& s) -> auto& { return s.metrics.bind; }, text_kind::plain));
  xs.push_back(count_option<uint16_t>(
    "metrics", "port", "TCP port of the metrics endpoint; 0: none.",
    [](auto& s) -> auto& { return s.metrics.port; }, 0));
  xs.push_back(duration_option(
    "metrics", "request-timeout",
    "Time a client has to send its request and receive the page; then its "
    "connection closes, so slow clients hold neither others nor the end of "
    "the job.",
    [](auto& s) -> auto& { return s.metrics.request_timeout; }));
  // -- [cluster] ------------------------------------------------------------
  {
    auto secret = text_option(
      "cluster", "secret",
      "Shared by a job and its nodes: a node refuses a job that does not "
      "present it. Empty: no check.",
      [](auto& s) -> auto& { return s.cluster.secret; }, text_kind::plain);
    // Help and `sluice validate` print settings: never the secret itself.
    secret.get = [](const engine_settings& s) {
      return s.cluster.secret.empty() ? std::string{"\"\""}
                                      : std::string{"(set)"};
    };
    xs.push_back(std::move(secret));
  }
  xs.push_back(duration_option(
    "cluster", "heartbeat-interval",
    "How often each side of a node connection shows it is alive.",
    [](auto& s) -> auto& { return s.cluster.heartbeat_interval; }));
  xs.push_back(duration_option(
    "cluster", "connection-timeout",
    "Silence after which a node connection counts as lost (a hung node).",
    [](auto& s) -> auto& { return s.cluster.connection_timeout; }));
  xs.push_back(duration_option(
    "cluster", "reconnect-interval",
    "How long a job waits before it tries an unreachable node again.",
    [](auto& s) -> auto& { return s.cluster.reconnect_interval; }));
  // -- [faults] -------------------------------------------------------------
  xs.push_back(text_option(
    "faults", "stage", "Stage to fail, for recovery drills; empty: any stage.",
    [](auto& s) -> auto& { return s.faults.stage; }, text_kind::plain));
  xs.push_back(count_option<uint64_t>(
    "faults", "after-records",
    "Fail an instance once it processed this many records; 0: never.",
    [](auto& s) -> auto& { return s.faults.after_records; }, 0));
  xs.push_back(real_option(
    "faults", "probability", "Fail with this probability per batch.",
    [](auto& s) -> auto& { return s.faults.probability; }, 0.0, 1.0));
  xs.push_back(choice_option<std::optional<checkpoint_phase>>(
    "faults", "phase", "Fail at this moment of a checkpoint; none: never.",
    [](auto& s) -> auto& { return s.faults.phase; },
    {{"none", std::nullopt},
     {"before-snapshot", checkpoint_phase::before_snapshot},
     {"after-snapshot", checkpoint_phase::after_snapshot},
     {"before-commit", checkpoint_phase::before_commit},
     {"after-commit", checkpoint_phase::after_commit}}));
  xs.push_back(count_option<uint32_t>(
    "faults", "count", "Faults to inject over the whole job; 0: none.",
    [](auto& s) -> auto& { return s.faults.count; }, 0));
  xs.push_back(count_option<uint64_t>(
    "faults", "seed", "Seeds every fault decision, so a drill replays.",
    [](auto& s) -> auto& { return s.faults.seed; }, 0));
  return xs;
}

std::string known_keys(const std::string& section) {
  std::string result;
  for (auto& o : engine_options())
    if (o.section == section)
      result += (result.empty() ? "" : ", ") + o.key;
  return result;
}

const engine_option* find_option(std::string_view section,
                                 std::string_view key) {
  for (auto& o : engine_options())
    if (o.section == section && o.key == key)
      return &o;
  return nullptr;
}

caf::error apply(const engine_option& o, const ini_section& section,
                 const ini_entry& entry, engine_settings& into,
                 const std::string& base_dir) {
  if (auto wanted = o.set(into, entry.value, base_dir))
    return key_error(errc::wrong_type, section, entry,
                     "expected " + *wanted + ", got '" + entry.value + "'");
  return caf::none;
}

} // namespace

const std::vector<engine_option>& engine_options() {
  static const auto options = make_options();
  return options;
}

bool is_engine_section(std::string_view name) {
  for (auto& o : engine_options())
    if (o.section == name)
      return true;
  return false;
}

std::string engine_section_names() {
  std::string result;
  std::string last;
  for (auto& o : engine_options())
    if (o.section != last) {
      last = o.section;
      result += (result.empty() ? "[" : ", [") + last + "]";
    }
  return result;
}

caf::error apply_engine_section(const ini_section& section,
                                engine_settings& into,
                                const std::string& base_dir) {
  for (auto& entry : section.entries) {
    auto* o = find_option(section.name, entry.key);
    if (o == nullptr)
      return key_error(errc::unknown_key, section, entry,
                       "unknown key; [" + section.name + "] knows "
                         + known_keys(section.name));
    if (auto err = apply(*o, section, entry, into, base_dir))
      return err;
  }
  return caf::none;
}

caf::error apply_engine_override(std::string_view arg, engine_settings& into) {
  auto fail = [&](const std::string& why) {
    return caf::make_error(errc::bad_option, "command line: option '"
                                               + std::string{arg}
                                               + "': " + why);
  };
  if (arg.substr(0, 2) != "--")
    return fail("expected --section.key=value");
  auto body = arg.substr(2);
  auto eq = body.find('=');
  if (eq == std::string_view::npos)
    return fail("expected --section.key=value");
  auto name = body.substr(0, eq);
  auto dot = name.find('.');
  if (dot == std::string_view::npos)
    return fail("expected --section.key=value");
  auto section_name = std::string{name.substr(0, dot)};
  auto key = std::string{name.substr(dot + 1)};
  if (!is_engine_section(section_name))
    return fail("unknown section [" + section_name
                + "]; engine settings are in " + engine_section_names());
  auto* o = find_option(section_name, key);
  if (o == nullptr)
    return fail("unknown key '" + key + "'; [" + section_name + "] knows "
                + known_keys(section_name));
  ini_section section{section_name, {}, {}};
  ini_entry entry{key, std::string{body.substr(eq + 1)}, {}};
  return apply(*o, section, entry, into, {});
}

std::optional<source_position>
where_set(const ini_document& doc, const std::vector<std::string>& overrides,
          const std::string& section, const std::string& key) {
  auto option = "--" + section + "." + key + "=";
  for (auto i = overrides.rbegin(); i != overrides.rend(); ++i)
    if (i->compare(0, option.size(), option) == 0)
      return source_position{};
  if (auto* in = doc.find(section))
    if (auto* e = in->find(key))
      return e->where;
  return std::nullopt;
}

std::string origin_of(const ini_document& doc,
                      const std::vector<std::string>& overrides,
                      const std::string& section, const std::string& key) {
  auto where = where_set(doc, overrides, section, key);
  if (!where)
    return "the default";
  if (where->file.empty())
    return "set by option '--" + section + "." + key + "'";
  return "set at " + to_string(*where);
}

caf::error setting_error(errc code, const ini_document& doc,
                         const std::vector<std::string>& overrides,
                         const std::string& section, const std::string& key,
                         const std::string& text) {
  auto where = where_set(doc, overrides, section, key);
  if (!where)
    return caf::make_error(code, doc.file() + ": [" + section + "] " + key
                                   + " (default): " + text);
  ini_section in{section, {}, {}};
  ini_entry e{key, {}, *where};
  return key_error(code, in, e, text);
}

caf::error check_engine_settings(const engine_settings& x,
                                 const ini_document& doc,
                                 const std::vector<std::string>& overrides) {
  // Of two settings that conflict, the error points at one the user set.
  auto conflict = [&](const std::string& section, const std::string& key,
                      const std::string& other, const std::string& text) {
    auto blamed = where_set(doc, overrides, section, key) ? key : other;
    auto named = blamed == key ? other : key;
    return setting_error(errc::wrong_type, doc, overrides, section, blamed,
                         text + " (" + named + ": "
                           + origin_of(doc, overrides, section, named) + ")");
  };
  if (x.restarts.max_backoff < x.restarts.initial_backoff)
    return conflict("restarts", "max-backoff", "initial-backoff",
                    "max-backoff (" + format_duration(x.restarts.max_backoff)
                      + ") is below initial-backoff ("
                      + format_duration(x.restarts.initial_backoff) + ")");
  if (x.cluster.connection_timeout <= x.cluster.heartbeat_interval)
    return conflict("cluster", "connection-timeout", "heartbeat-interval",
                    "connection-timeout ("
                      + format_duration(x.cluster.connection_timeout)
                      + ") must be above heartbeat-interval ("
                      + format_duration(x.cluster.heartbeat_interval) + ")");
  auto& targets = x.checkpoints.targets;
  if (targets.max_interval < targets.min_interval)
    return conflict("checkpoints", "max-interval", "min-interval",
                    "max-interval (" + format_duration(targets.max_interval)
                      + ") is below min-interval ("
                      + format_duration(targets.min_interval) + ")");
  if (x.parallelism > x.key_groups)
    return conflict("engine", "parallelism", "key-groups",
                    "parallelism (" + std::to_string(x.parallelism)
                      + ") is above key-groups (" + std::to_string(x.key_groups)
                      + ")");
  return caf::none;
}

std::string describe_engine_options(const engine_settings& x) {
  size_t key_width = 0;
  size_t value_width = 0;
  for (auto& o : engine_options()) {
    key_width = std::max(key_width, o.key.size());
    value_width = std::max(value_width, o.get(x).size());
  }
  std::ostringstream os;
  std::string last;
  for (auto& o : engine_options()) {
    if (o.section != last) {
      last = o.section;
      os << "  [" << last << "]\n";
    }
    auto value = o.get(x);
    os << "    " << o.key << std::string(key_width - o.key.size() + 2, ' ')
       << value << std::string(value_width - value.size() + 2, ' ') << o.help
       << " (" << o.type << ")\n";
  }
  return os.str();
}

} // namespace sluice::config
