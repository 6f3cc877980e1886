#include "observability/status_text.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <sstream>
#include <vector>

namespace sluice::observability {

pressure pressure_of(double share) noexcept {
  if (share >= 0.5)
    return pressure::saturated;
  return share >= 0.1 ? pressure::busy : pressure::calm;
}

std::string to_string(pressure x) {
  switch (x) {
  case pressure::calm:
    return "calm";
  case pressure::busy:
    return "busy";
  case pressure::saturated:
    return "saturated";
  }
  return "pressure(" + std::to_string(static_cast<int>(x)) + ")";
}

namespace {

/// `printf` into a string; the formats below are literals.
template <class... Ts>
std::string format(const char* fmt, Ts... xs) {
  char buf[256];
  std::snprintf(buf, sizeof(buf), fmt, xs...);
  return buf;
}

double seconds(std::chrono::nanoseconds x) {
  return std::chrono::duration<double>(x).count();
}

std::string format_rate(double per_second) {
  if (per_second >= 1e6)
    return format("%.2fM", per_second / 1e6);
  if (per_second >= 1e4)
    return format("%.1fk", per_second / 1e3);
  return format("%.0f", per_second);
}

void write_instances(std::ostream& out, const job_sample& s) {
  out << format("%-16s %4s %12s %12s %9s %7s %15s %15s %s\n", "stage", "inst",
                "records in", "records out", "rate/s", "mailbox",
                "waiting/budget", "credit h/g", "backpressured");
  // Instances in the graph's order, so that the table reads like the
  // dataflow; stages the graph lacks come last.
  std::map<std::string, size_t> rank;
  for (size_t i = 0; i < s.graph.stages.size(); ++i)
    rank.emplace(s.graph.stages[i].name, i);
  std::vector<const instance_sample*> rows;
  for (auto& x : s.instances)
    rows.push_back(&x);
  std::stable_sort(rows.begin(), rows.end(), [&](auto* a, auto* b) {
    auto ra = rank.count(a->stage) ? rank[a->stage] : rank.size();
    auto rb = rank.count(b->stage) ? rank[b->stage] : rank.size();
    return ra < rb;
  });
  for (auto* x : rows) {
    auto rate = std::max(x->rate_in, x->rate_out);
    out << format("%-16s %4u %12llu %12llu %9s %7llu %7llu/%-7llu %7llu/%-7llu "
                  "%3.0f%% %s%s\n",
                  x->stage.c_str(), x->instance,
                  static_cast<unsigned long long>(x->records_in),
                  static_cast<unsigned long long>(x->records_out),
                  format_rate(rate).c_str(),
                  static_cast<unsigned long long>(x->mailbox),
                  static_cast<unsigned long long>(x->waiting),
                  static_cast<unsigned long long>(x->budget),
                  static_cast<unsigned long long>(x->credit_held),
                  static_cast<unsigned long long>(x->credit_granted),
                  100 * x->backpressured_share,
                  to_string(pressure_of(x->backpressured_share)).c_str(),
                  x->finished ? ", finished" : "");
  }
}

void write_checkpoints(std::ostream& out, const job_sample& s, size_t rows) {
  auto& t = s.checkpoint_total;
  out << "checkpoints: " << t.completed << " completed (" << t.full << " full, "
      << t.delta << " incremental), " << t.aborted << " aborted, "
      << format_bytes(t.bytes) << " stored\n";
  if (s.checkpoints.empty())
    return;
  out << format("  %8s  %-6s %-10s %10s %10s %10s\n", "id", "kind", "outcome",
                "duration", "alignment", "size");
  auto first = s.checkpoints.size() > rows ? s.checkpoints.size() - rows : 0;
  for (auto i = first; i < s.checkpoints.size(); ++i) {
    auto& c = s.checkpoints[i];
    auto outcome
      = c.stats.completed ? (c.stats.final ? "final" : "completed") : "aborted";
    auto align
      = c.alignment ? format_duration(seconds(*c.alignment)) : std::string{"-"};
    out << format(
      "  %8llu  %-6s %-10s %10s %10s %10s",
      static_cast<unsigned long long>(protocol::to_integer(c.stats.id)),
      protocol::to_string(c.stats.kind).c_str(), outcome,
      format_duration(seconds(c.stats.duration)).c_str(), align.c_str(),
      format_bytes(c.stats.bytes).c_str());
    if (!c.stats.completed && !c.stats.reason.empty())
      out << "  " << c.stats.reason;
    out << '\n';
  }
}

void write_recoveries(std::ostream& out, const job_sample& s) {
  if (s.recoveries.empty()) {
    out << "recoveries: none\n";
    return;
  }
  out << "recoveries: " << s.recoveries.size() << '\n';
  for (auto& r : s.recoveries) {
    out << "  " << r.failed_stage << "/" << r.failed_instance << ": "
        << (r.restored_checkpoint == 0
              ? std::string{"restarted from the beginning"}
              : "restored checkpoint " + std::to_string(r.restored_checkpoint))
        << ", resumed after " << format_duration(seconds(r.time_to_resume))
        << ", " << r.records_replayed << " records replayed, "
        << format_bytes(r.bytes_read) << " read";
    if (!r.reason.empty())
      out << " (" << r.reason << ")";
    out << '\n';
  }
}

void write_nodes(std::ostream& out, const job_sample& s) {
  if (s.nodes.empty())
    return;
  out << "nodes:\n";
  for (auto& n : s.nodes)
    out << "  " << n.name << " (" << n.address
        << "): " << (n.up ? "up" : "down") << ", " << n.joins << " joins, "
        << n.losses << " losses\n";
}

} // namespace

std::string format_bytes(uint64_t bytes) {
  auto x = static_cast<double>(bytes);
  if (bytes < 1024)
    return std::to_string(bytes) + " B";
  if (x < 1024.0 * 1024)
    return format("%.1f KiB", x / 1024);
  if (x < 1024.0 * 1024 * 1024)
    return format("%.1f MiB", x / (1024.0 * 1024));
  return format("%.2f GiB", x / (1024.0 * 1024 * 1024));
}

std::string format_duration(double s) {
  if (s < 1e-3)
    return format("%.0f us", s * 1e6);
  if (s < 1)
    return format("%.1f ms", s * 1e3);
  return format("%.2f s", s);
}

std::string status_text(const job_sample& s, size_t checkpoint_rows) {
  std::ostringstream out;
  out << "job " << s.job << ": " << (s.done ? "ended" : "running") << ", up "
      << format_duration(seconds(s.uptime)) << ", rates over "
      << format_duration(seconds(s.window)) << " (sample " << s.sequence
      << ")\n\n";
  write_instances(out, s);
  if (!s.graph.edges.empty()) {
    out << "\nedges:";
    for (auto& e : s.graph.edges)
      out << " " << e.from << " -> " << e.to << " ("
          << protocol::to_string(e.by) << ")";
    out << '\n';
  }
  out << '\n';
  write_checkpoints(out, s, checkpoint_rows);
  write_recoveries(out, s);
  write_nodes(out, s);
  auto& l = s.latency;
  if (l.count == 0)
    out << "latency: not measured\n";
  else
    out << "latency: p50 " << format_duration(seconds(l.p50)) << ", p90 "
        << format_duration(seconds(l.p90)) << ", p99 "
        << format_duration(seconds(l.p99)) << ", p99.9 "
        << format_duration(seconds(l.p999)) << " (" << l.count << " records)\n";
  return out.str();
}

} // namespace sluice::observability
