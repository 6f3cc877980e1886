#include "observability/prometheus_text.hpp"

#include <charconv>
#include <chrono>
#include <cmath>
#include <utility>
#include <vector>

namespace sluice::observability {

std::string escape_label_value(std::string_view x) {
  std::string out;
  out.reserve(x.size());
  for (char c : x) {
    switch (c) {
    case '\\':
      out += "\\\\";
      break;
    case '"':
      out += "\\\"";
      break;
    case '\n':
      out += "\\n";
      break;
    default:
      out += c;
    }
  }
  return out;
}

std::string format_number(double x) {
  if (std::isnan(x))
    return "NaN";
  if (std::isinf(x))
    return x > 0 ? "+Inf" : "-Inf";
  char buf[32];
  auto res = std::to_chars(buf, buf + sizeof(buf), x);
  return std::string{buf, res.ptr};
}

namespace {

using labels = std::vector<std::pair<std::string_view, std::string>>;

double seconds(std::chrono::nanoseconds x) {
  return std::chrono::duration<double>(x).count();
}

/// Writes families one at a time, so that each family's samples follow its
/// HELP and TYPE lines without interruption.
class writer {
public:
  explicit writer(const std::string& job) : job_(escape_label_value(job)) {}

  void family(std::string_view name, std::string_view type,
              std::string_view help) {
    family_ = name;
    out_.append("# HELP ").append(name).append(" ").append(help).append("\n");
    out_.append("# TYPE ").append(name).append(" ").append(type).append("\n");
  }

  /// A sample of the current family; `suffix` for `_bucket`, `_sum`, ...
  void sample(const labels& ls, double value, std::string_view suffix = {}) {
    out_.append(family_).append(suffix).append("{job=\"").append(job_);
    out_ += '"';
    for (auto& [k, v] : ls) {
      out_.append(",").append(k).append("=\"");
      out_.append(escape_label_value(v)).append("\"");
    }
    out_.append("} ").append(format_number(value)).append("\n");
  }

  std::string take() { return std::move(out_); }

private:
  std::string job_;
  std::string family_;
  std::string out_;
};

/// One family with a sample per instance.
template <class F>
void per_instance(writer& w, const job_sample& s, std::string_view name,
                  std::string_view type, std::string_view help, F value) {
  w.family(name, type, help);
  for (auto& x : s.instances)
    w.sample({{"stage", x.stage}, {"instance", std::to_string(x.instance)}},
             value(x));
}

void write_graph(writer& w, const job_sample& s) {
  w.family("sluice_stage_info", "gauge",
           "Stages of the job: role and parallelism; always 1.");
  for (auto& st : s.graph.stages)
    w.sample({{"stage", st.name},
              {"role", protocol::to_string(st.role)},
              {"parallelism", std::to_string(st.parallelism)}},
             1);
  w.family("sluice_edge_info", "gauge",
           "Edges between stages and their partitioning; always 1.");
  for (auto& e : s.graph.edges)
    w.sample({{"from", e.from},
              {"to", e.to},
              {"partitioning", protocol::to_string(e.by)}},
             1);
}

void write_instances(writer& w, const job_sample& s) {
  using x_t = const instance_sample&;
  auto u = [](uint64_t x) { return static_cast<double>(x); };
  per_instance(w, s, "sluice_records_in_total", "counter",
               "Records an instance received (sources: produced).",
               [&](x_t x) { return u(x.records_in); });
  per_instance(w, s, "sluice_records_out_total", "counter",
               "Records an instance shipped downstream.",
               [&](x_t x) { return u(x.records_out); });
  per_instance(w, s, "sluice_records_skipped_total", "counter",
               "Records an instance dropped on purpose (on-error = skip).",
               [&](x_t x) { return u(x.records_skipped); });
  per_instance(w, s, "sluice_batches_in_total", "counter",
               "Batches an instance received.",
               [&](x_t x) { return u(x.batches_in); });
  per_instance(w, s, "sluice_records_in_per_second", "gauge",
               "Records received per second over the sampling window.",
               [](x_t x) { return x.rate_in; });
  per_instance(w, s, "sluice_records_out_per_second", "gauge",
               "Records shipped per second over the sampling window.",
               [](x_t x) { return x.rate_out; });
  per_instance(w, s, "sluice_mailbox_size", "gauge",
               "Messages queued in an instance's mailbox, last seen.",
               [&](x_t x) { return u(x.mailbox); });
  per_instance(w, s, "sluice_waiting_records", "gauge",
               "Records waiting at an instance (mailbox and buffers).",
               [&](x_t x) { return u(x.waiting); });
  per_instance(w, s, "sluice_budget_records", "gauge",
               "Records an instance may hold waiting.",
               [&](x_t x) { return u(x.budget); });
  per_instance(w, s, "sluice_credit_held_records", "gauge",
               "Credit an instance holds for its outputs.",
               [&](x_t x) { return u(x.credit_held); });
  per_instance(w, s, "sluice_credit_granted_records", "gauge",
               "Credit an instance granted its producers, not yet used.",
               [&](x_t x) { return u(x.credit_granted); });
  per_instance(w, s, "sluice_backpressured_seconds_total", "counter",
               "Time an instance spent saturated: output full, no credit.",
               [](x_t x) { return seconds(x.backpressured); });
  per_instance(w, s, "sluice_backpressured_ratio", "gauge",
               "Share of the sampling window an instance spent saturated.",
               [](x_t x) { return x.backpressured_share; });
  per_instance(w, s, "sluice_alignment_seconds_total", "counter",
               "Time an instance spent aligning barriers, all checkpoints.",
               [](x_t x) { return seconds(x.alignment); });
  per_instance(w, s, "sluice_last_alignment_seconds", "gauge",
               "Time an instance spent aligning for its latest snapshot.",
               [](x_t x) { return seconds(x.last_alignment); });
  per_instance(w, s, "sluice_snapshots_total", "counter",
               "Snapshots an instance took.",
               [&](x_t x) { return u(x.snapshots); });
  per_instance(w, s, "sluice_instance_finished", "gauge",
               "1 once an instance has finished its work.",
               [](x_t x) { return x.finished ? 1.0 : 0.0; });
}

void write_checkpoints(writer& w, const job_sample& s) {
  auto& t = s.checkpoint_total;
  auto u = [](uint64_t x) { return static_cast<double>(x); };
  w.family("sluice_checkpoints_total", "counter",
           "Checkpoints by outcome and kind of snapshot.");
  w.sample({{"outcome", "completed"}, {"kind", "full"}}, u(t.full));
  w.sample({{"outcome", "completed"}, {"kind", "delta"}}, u(t.delta));
  w.sample({{"outcome", "aborted"}, {"kind", "any"}}, u(t.aborted));
  w.family("sluice_checkpoint_bytes_total", "counter",
           "Snapshot bytes stored by completed checkpoints.");
  w.sample({}, u(t.bytes));
  w.family("sluice_checkpoint_duration_seconds", "histogram",
           "Duration of completed checkpoints, trigger to completion.");
  auto& bounds = checkpoint_duration_bounds();
  for (size_t b = 0; b < bounds.size(); ++b)
    w.sample({{"le", format_number(bounds[b])}}, u(t.duration_buckets[b]),
             "_bucket");
  w.sample({{"le", "+Inf"}}, u(t.completed), "_bucket");
  w.sample({}, seconds(t.duration), "_sum");
  w.sample({}, u(t.completed), "_count");
  auto& ci = s.checkpoint_interval;
  if (!ci.reason.empty()) {
    w.family("sluice_checkpoint_interval_seconds", "gauge",
             "The checkpoint interval in force; `reason` names the rule that "
             "chose it.");
    w.sample({{"reason", ci.reason}}, seconds(ci.interval));
    w.family("sluice_checkpoint_interval_changes_total", "counter",
             "Meaningful changes of the adaptive checkpoint interval.");
    w.sample({}, u(ci.changes));
    w.family("sluice_source_holds_total", "counter",
             "Times a source waited at its share of max-replay-records.");
    w.sample({}, u(ci.source_holds));
  }
  const checkpoint_sample* last = nullptr;
  for (auto& c : s.checkpoints)
    if (c.stats.completed)
      last = &c;
  if (last == nullptr)
    return;
  w.family("sluice_last_checkpoint_id", "gauge",
           "Id of the latest completed checkpoint.");
  w.sample({}, u(protocol::to_integer(last->stats.id)));
  w.family("sluice_last_checkpoint_duration_seconds", "gauge",
           "Duration of the latest completed checkpoint.");
  w.sample({}, seconds(last->stats.duration));
  w.family("sluice_last_checkpoint_size_bytes", "gauge",
           "Snapshot bytes of the latest completed checkpoint.");
  w.sample({}, u(last->stats.bytes));
  w.family("sluice_last_checkpoint_full", "gauge",
           "1 if the latest completed checkpoint is full, 0 if incremental.");
  w.sample({}, last->stats.kind == protocol::snapshot_kind::full ? 1 : 0);
  if (last->alignment) {
    w.family("sluice_last_checkpoint_alignment_seconds", "gauge",
             "Longest barrier alignment of the latest completed checkpoint.");
    w.sample({}, seconds(*last->alignment));
  }
}

void write_recoveries(writer& w, const job_sample& s) {
  auto& rs = s.recoveries;
  double resume = 0;
  double replayed = 0;
  double bytes = 0;
  for (auto& r : rs) {
    resume += seconds(r.time_to_resume);
    replayed += static_cast<double>(r.records_replayed);
    bytes += static_cast<double>(r.bytes_read);
  }
  w.family("sluice_recoveries_total", "counter",
           "Recoveries from failed instances.");
  w.sample({}, static_cast<double>(rs.size()));
  w.family("sluice_recovery_resume_seconds_total", "counter",
           "Time to resume, failure seen to first record processed, summed.");
  w.sample({}, resume);
  w.family("sluice_recovery_replayed_records_total", "counter",
           "Records the sources read again after recoveries.");
  w.sample({}, replayed);
  w.family("sluice_recovery_read_bytes_total", "counter",
           "Snapshot bytes restored by recoveries.");
  w.sample({}, bytes);
  if (rs.empty())
    return;
  w.family("sluice_last_recovery_resume_seconds", "gauge",
           "Time to resume of the latest recovery.");
  w.sample({}, seconds(rs.back().time_to_resume));
  w.family("sluice_last_recovery_replayed_records", "gauge",
           "Records the sources read again in the latest recovery.");
  w.sample({}, static_cast<double>(rs.back().records_replayed));
}

void write_nodes(writer& w, const job_sample& s) {
  if (s.nodes.empty())
    return;
  auto each = [&](std::string_view name, std::string_view type,
                  std::string_view help, auto value) {
    w.family(name, type, help);
    for (auto& n : s.nodes)
      w.sample({{"node", n.name}, {"address", n.address}}, value(n));
  };
  each("sluice_node_up", "gauge", "1 while the job has joined the node.",
       [](const node_sample& n) { return n.up ? 1.0 : 0.0; });
  each("sluice_node_joins_total", "counter", "Times the job joined the node.",
       [](const node_sample& n) { return static_cast<double>(n.joins); });
  each("sluice_node_losses_total", "counter",
       "Times the job lost the node after joining it.",
       [](const node_sample& n) { return static_cast<double>(n.losses); });
}

void write_latency(writer& w, const job_sample& s) {
  auto& l = s.latency;
  w.family("sluice_latency_seconds", "summary",
           "End-to-end latency, source to sink; quantiles are bucket bounds.");
  w.sample({{"quantile", "0.5"}}, seconds(l.p50));
  w.sample({{"quantile", "0.9"}}, seconds(l.p90));
  w.sample({{"quantile", "0.99"}}, seconds(l.p99));
  w.sample({{"quantile", "0.999"}}, seconds(l.p999));
  w.sample({}, seconds(l.mean) * static_cast<double>(l.count), "_sum");
  w.sample({}, static_cast<double>(l.count), "_count");
}

} // namespace

std::string prometheus_text(const job_sample& s) {
  writer w{s.job};
  w.family("sluice_job_uptime_seconds", "gauge", "Time since the job started.");
  w.sample({}, seconds(s.uptime));
  w.family("sluice_job_done", "gauge", "1 once the job has ended.");
  w.sample({}, s.done ? 1 : 0);
  w.family("sluice_metrics_window_seconds", "gauge",
           "Time the rates and shares of this page cover.");
  w.sample({}, seconds(s.window));
  write_graph(w, s);
  write_instances(w, s);
  write_checkpoints(w, s);
  write_recoveries(w, s);
  write_nodes(w, s);
  write_latency(w, s);
  return w.take();
}

} // namespace sluice::observability
