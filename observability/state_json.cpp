#include "observability/state_json.hpp"

#include "observability/errc.hpp"

#include <chrono>

#include <nlohmann/json.hpp>

namespace sluice::observability {

namespace {

using json = nlohmann::json;

double seconds(std::chrono::nanoseconds x) {
  return std::chrono::duration<double>(x).count();
}

std::chrono::nanoseconds from_seconds(double x) {
  return std::chrono::round<std::chrono::nanoseconds>(
    std::chrono::duration<double>(x));
}

json to_json(const job_graph& g) {
  json stages = json::array();
  for (auto& s : g.stages)
    stages.push_back({{"name", s.name},
                      {"role", protocol::to_string(s.role)},
                      {"parallelism", s.parallelism}});
  json edges = json::array();
  for (auto& e : g.edges)
    edges.push_back(
      {{"from", e.from}, {"to", e.to}, {"by", protocol::to_string(e.by)}});
  return {{"stages", std::move(stages)}, {"edges", std::move(edges)}};
}

json to_json(const instance_sample& x) {
  return {{"stage", x.stage},
          {"instance", x.instance},
          {"budget", x.budget},
          {"records_in", x.records_in},
          {"records_out", x.records_out},
          {"batches_in", x.batches_in},
          {"mailbox", x.mailbox},
          {"waiting", x.waiting},
          {"credit_held", x.credit_held},
          {"credit_granted", x.credit_granted},
          {"backpressured_s", seconds(x.backpressured)},
          {"alignment_s", seconds(x.alignment)},
          {"last_alignment_s", seconds(x.last_alignment)},
          {"snapshots", x.snapshots},
          {"finished", x.finished},
          {"rate_in", x.rate_in},
          {"rate_out", x.rate_out},
          {"backpressured_share", x.backpressured_share}};
}

json to_json(const checkpoint_sample& c) {
  return {
    {"id", protocol::to_integer(c.stats.id)},
    {"kind", protocol::to_string(c.stats.kind)},
    {"completed", c.stats.completed},
    {"final", c.stats.final},
    {"duration_s", seconds(c.stats.duration)},
    {"bytes", c.stats.bytes},
    {"alignment_s", c.alignment ? json(seconds(*c.alignment)) : json(nullptr)},
    {"reason", c.stats.reason}};
}

json to_json(const actors::recovery_stats& r) {
  return {{"failed_stage", r.failed_stage},
          {"failed_instance", r.failed_instance},
          {"reason", r.reason},
          {"restored_checkpoint", r.restored_checkpoint},
          {"time_to_resume_s", seconds(r.time_to_resume)},
          {"records_replayed", r.records_replayed},
          {"bytes_read", r.bytes_read}};
}

template <class Enum, class Parse>
Enum enum_of(const json& j, Parse parse, Enum fallback) {
  auto x = parse(j.get<std::string>());
  return x ? *x : fallback;
}

std::optional<protocol::stage_role> parse_role(std::string_view text) {
  for (auto x : {protocol::stage_role::source, protocol::stage_role::transform,
                 protocol::stage_role::sink})
    if (text == protocol::to_string(x))
      return x;
  return std::nullopt;
}

std::optional<protocol::snapshot_kind> parse_kind(std::string_view text) {
  for (auto x : {protocol::snapshot_kind::full, protocol::snapshot_kind::delta})
    if (text == protocol::to_string(x))
      return x;
  return std::nullopt;
}

/// Throws nlohmann's exceptions on a missing key or a wrong type; the
/// caller turns them into an error value.
job_sample from_json(const json& j) {
  job_sample s;
  s.job = j.at("job").get<std::string>();
  s.graph.job = s.job;
  s.sequence = j.at("sequence").get<uint64_t>();
  s.uptime = from_seconds(j.at("uptime_s").get<double>());
  s.window = from_seconds(j.at("window_s").get<double>());
  s.done = j.at("done").get<bool>();
  for (auto& x : j.at("graph").at("stages"))
    s.graph.stages.push_back(
      {x.at("name").get<std::string>(),
       enum_of(x.at("role"), parse_role, protocol::stage_role::transform),
       x.at("parallelism").get<uint32_t>()});
  for (auto& x : j.at("graph").at("edges"))
    s.graph.edges.push_back({x.at("from").get<std::string>(),
                             x.at("to").get<std::string>(),
                             enum_of(x.at("by"), protocol::parse_partitioning,
                                     protocol::partitioning::forward)});
  for (auto& x : j.at("instances")) {
    instance_sample i;
    i.stage = x.at("stage").get<std::string>();
    i.instance = x.at("instance").get<uint32_t>();
    i.budget = x.at("budget").get<uint64_t>();
    i.records_in = x.at("records_in").get<uint64_t>();
    i.records_out = x.at("records_out").get<uint64_t>();
    i.batches_in = x.at("batches_in").get<uint64_t>();
    i.mailbox = x.at("mailbox").get<uint64_t>();
    i.waiting = x.at("waiting").get<uint64_t>();
    i.credit_held = x.at("credit_held").get<uint64_t>();
    i.credit_granted = x.at("credit_granted").get<uint64_t>();
    i.backpressured = from_seconds(x.at("backpressured_s").get<double>());
    i.alignment = from_seconds(x.at("alignment_s").get<double>());
    i.last_alignment = from_seconds(x.at("last_alignment_s").get<double>());
    i.snapshots = x.at("snapshots").get<uint64_t>();
    i.finished = x.at("finished").get<bool>();
    i.rate_in = x.at("rate_in").get<double>();
    i.rate_out = x.at("rate_out").get<double>();
    i.backpressured_share = x.at("backpressured_share").get<double>();
    s.instances.push_back(std::move(i));
  }
  auto& cp = j.at("checkpoints");
  auto& t = s.checkpoint_total;
  t.completed = cp.at("completed").get<uint64_t>();
  t.aborted = cp.at("aborted").get<uint64_t>();
  t.full = cp.at("full").get<uint64_t>();
  t.delta = cp.at("delta").get<uint64_t>();
  t.bytes = cp.at("bytes").get<uint64_t>();
  t.duration = from_seconds(cp.at("duration_s").get<double>());
  for (auto& x : cp.at("recent")) {
    checkpoint_sample c;
    c.stats.id = protocol::checkpoint_id{x.at("id").get<uint64_t>()};
    c.stats.kind
      = enum_of(x.at("kind"), parse_kind, protocol::snapshot_kind::full);
    c.stats.completed = x.at("completed").get<bool>();
    c.stats.final = x.at("final").get<bool>();
    c.stats.duration = from_seconds(x.at("duration_s").get<double>());
    c.stats.bytes = x.at("bytes").get<uint64_t>();
    c.stats.reason = x.at("reason").get<std::string>();
    if (!x.at("alignment_s").is_null())
      c.alignment = from_seconds(x.at("alignment_s").get<double>());
    s.checkpoints.push_back(std::move(c));
  }
  for (auto& x : j.at("recoveries")) {
    actors::recovery_stats r;
    r.failed_stage = x.at("failed_stage").get<std::string>();
    r.failed_instance = x.at("failed_instance").get<uint32_t>();
    r.reason = x.at("reason").get<std::string>();
    r.restored_checkpoint = x.at("restored_checkpoint").get<uint64_t>();
    r.time_to_resume = from_seconds(x.at("time_to_resume_s").get<double>());
    r.records_replayed = x.at("records_replayed").get<uint64_t>();
    r.bytes_read = x.at("bytes_read").get<uint64_t>();
    s.recoveries.push_back(std::move(r));
  }
  for (auto& x : j.at("nodes"))
    s.nodes.push_back({x.at("name").get<std::string>(),
                       x.at("address").get<std::string>(),
                       x.at("up").get<bool>(), x.at("joins").get<uint64_t>(),
                       x.at("losses").get<uint64_t>()});
  auto& l = j.at("latency");
  s.latency.count = l.at("count").get<uint64_t>();
  s.latency.mean = from_seconds(l.at("mean_s").get<double>());
  s.latency.p50 = from_seconds(l.at("p50_s").get<double>());
  s.latency.p90 = from_seconds(l.at("p90_s").get<double>());
  s.latency.p99 = from_seconds(l.at("p99_s").get<double>());
  s.latency.p999 = from_seconds(l.at("p999_s").get<double>());
  return s;
}

} // namespace

std::string state_json(const job_sample& s) {
  json instances = json::array();
  for (auto& x : s.instances)
    instances.push_back(to_json(x));
  json recent = json::array();
  for (auto& c : s.checkpoints)
    recent.push_back(to_json(c));
  json recoveries = json::array();
  for (auto& r : s.recoveries)
    recoveries.push_back(to_json(r));
  json nodes = json::array();
  for (auto& n : s.nodes)
    nodes.push_back({{"name", n.name},
                     {"address", n.address},
                     {"up", n.up},
                     {"joins", n.joins},
                     {"losses", n.losses}});
  auto& t = s.checkpoint_total;
  json doc = {
    {"job", s.job},
    {"sequence", s.sequence},
    {"uptime_s", seconds(s.uptime)},
    {"window_s", seconds(s.window)},
    {"done", s.done},
    {"graph", to_json(s.graph)},
    {"instances", std::move(instances)},
    {"checkpoints",
     {{"completed", t.completed},
      {"aborted", t.aborted},
      {"full", t.full},
      {"delta", t.delta},
      {"bytes", t.bytes},
      {"duration_s", seconds(t.duration)},
      {"recent", std::move(recent)}}},
    {"recoveries", std::move(recoveries)},
    {"nodes", std::move(nodes)},
    {"latency",
     {{"count", s.latency.count},
      {"mean_s", seconds(s.latency.mean)},
      {"p50_s", seconds(s.latency.p50)},
      {"p90_s", seconds(s.latency.p90)},
      {"p99_s", seconds(s.latency.p99)},
      {"p999_s", seconds(s.latency.p999)}}},
  };
  // Invalid UTF-8 in a stage name or a failure text must not fail the page.
  return doc.dump(-1, ' ', false, json::error_handler_t::replace);
}

caf::expected<job_sample> parse_state_json(std::string_view text) {
  try {
    return from_json(json::parse(text));
  } catch (const json::exception& e) {
    return caf::make_error(errc::bad_response,
                           std::string{"not the state of a Sluice job: "}
                             + e.what());
  }
}

} // namespace sluice::observability
