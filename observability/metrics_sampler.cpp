#include "observability/metrics_sampler.hpp"

#include <algorithm>

namespace sluice::observability {

namespace {

constexpr auto relaxed = std::memory_order_relaxed;

std::chrono::nanoseconds ns(const std::atomic<uint64_t>& x) {
  return std::chrono::nanoseconds{static_cast<int64_t>(x.load(relaxed))};
}

/// Growth per second; counters that went back (a restored instance starts
/// from its checkpoint) count as no growth.
double per_second(uint64_t now, uint64_t base, double seconds) {
  return now > base && seconds > 0 ? static_cast<double>(now - base) / seconds
                                   : 0.0;
}

} // namespace

metrics_sampler::metrics_sampler(const actors::job_metrics& metrics,
                                 job_graph graph,
                                 std::chrono::nanoseconds window,
                                 size_t recent_checkpoints)
    : metrics_(metrics), graph_(std::move(graph)), window_(window),
      recent_max_(recent_checkpoints) {
  for (auto& m : metrics_.instances())
    snapshots_seen_.push_back(m->snapshots.load(relaxed));
}

metrics_sampler::reading
metrics_sampler::read(std::chrono::steady_clock::time_point now,
                      const actors::job_report* ended) const {
  reading r;
  r.at = now;
  for (auto& m : metrics_.instances()) {
    auto in = m->records_in.load(relaxed);
    auto out = m->records_out.load(relaxed);
    if (ended != nullptr)
      for (auto& x : ended->instances)
        if (x.stage == m->stage && x.instance == m->instance) {
          in = x.records_in;
          out = x.records_out;
        }
    r.in.push_back(in);
    r.out.push_back(out);
    r.backpressured_ns.push_back(m->backpressured_ns.load(relaxed));
    r.held_back.push_back(out > 0 && !m->finished.load(relaxed)
                          && m->credit_held.load(relaxed) == 0);
  }
  return r;
}

job_sample metrics_sampler::sample(std::chrono::steady_clock::time_point now,
                                   bool done, const actors::job_report* ended) {
  job_sample s;
  s.job = graph_.job;
  s.graph = graph_;
  s.sequence = ++sequence_;
  s.done = done;
  s.uptime = now - metrics_.started();
  history_.push_back(read(now, ended));
  // The base is the newest reading at least a window old, so that the
  // rates cover at least the window once the sampler has run that long.
  while (history_.size() > 2 && history_[1].at <= now - window_)
    history_.pop_front();
  auto& base = history_.front();
  auto& cur = history_.back();
  s.window = cur.at - base.at;
  auto seconds = std::chrono::duration<double>(s.window).count();
  auto& all = metrics_.instances();
  for (size_t i = 0; i < all.size(); ++i) {
    auto& m = *all[i];
    instance_sample x;
    x.stage = m.stage;
    x.instance = m.instance;
    x.budget = m.budget;
    x.records_in = cur.in[i];
    x.records_out = cur.out[i];
    x.records_skipped = m.records_skipped.load(relaxed);
    x.batches_in = m.batches_in.load(relaxed);
    x.mailbox = m.mailbox.load(relaxed);
    x.waiting = m.waiting.load(relaxed);
    x.credit_held = m.credit_held.load(relaxed);
    x.credit_granted = m.credit_granted.load(relaxed);
    x.backpressured
      = std::chrono::nanoseconds{static_cast<int64_t>(cur.backpressured_ns[i])};
    x.alignment = ns(m.alignment_ns);
    x.last_alignment = ns(m.last_alignment_ns);
    x.snapshots = m.snapshots.load(relaxed);
    x.finished = m.finished.load(relaxed);
    x.rate_in = per_second(cur.in[i], base.in[i], seconds);
    x.rate_out = per_second(cur.out[i], base.out[i], seconds);
    auto spent
      = per_second(cur.backpressured_ns[i], base.backpressured_ns[i], seconds)
        / 1e9;
    std::chrono::nanoseconds held{0};
    for (size_t k = 1; k < history_.size(); ++k)
      if (history_[k].held_back[i])
        held += history_[k].at - history_[k - 1].at;
    auto held_share = seconds > 0
                        ? std::chrono::duration<double>(held).count() / seconds
                        : 0.0;
    x.backpressured_share = std::clamp(std::max(spent, held_share), 0.0, 1.0);
    s.instances.push_back(std::move(x));
  }
  take_checkpoints(s);
  s.checkpoint_total = totals_;
  s.checkpoints.assign(recent_.begin(), recent_.end());
  s.checkpoint_interval = metrics_.checkpoint_interval();
  s.recoveries = metrics_.recoveries();
  for (auto& n : metrics_.nodes())
    s.nodes.push_back(
      {n->name, n->address, n->up.load(), n->joins.load(), n->losses.load()});
  auto& lat = metrics_.latency();
  s.latency.count = lat.count();
  s.latency.mean = lat.mean();
  s.latency.p50 = lat.percentile(0.5);
  s.latency.p90 = lat.percentile(0.9);
  s.latency.p99 = lat.percentile(0.99);
  s.latency.p999 = lat.percentile(0.999);
  return s;
}

void metrics_sampler::take_checkpoints(job_sample& s) {
  auto all = metrics_.checkpoints();
  if (all.size() == checkpoints_seen_)
    return;
  // Checkpoint statistics carry no alignment time: the longest last
  // alignment of the instances that snapshotted since the previous
  // completed checkpoint belongs to the newest one that completed since.
  std::optional<std::chrono::nanoseconds> aligned;
  for (size_t i = 0; i < s.instances.size(); ++i)
    if (s.instances[i].snapshots != snapshots_seen_[i])
      aligned = std::max(aligned.value_or(std::chrono::nanoseconds{0}),
                         s.instances[i].last_alignment);
  if (all.back().completed)
    for (size_t i = 0; i < s.instances.size(); ++i)
      snapshots_seen_[i] = s.instances[i].snapshots;
  auto& bounds = checkpoint_duration_bounds();
  for (size_t i = checkpoints_seen_; i < all.size(); ++i) {
    auto& c = all[i];
    checkpoint_sample cs{c, std::nullopt};
    if (c.completed) {
      ++totals_.completed;
      ++(c.kind == protocol::snapshot_kind::full ? totals_.full
                                                 : totals_.delta);
      totals_.bytes += c.bytes;
      totals_.duration += c.duration;
      auto secs = std::chrono::duration<double>(c.duration).count();
      for (size_t b = 0; b < bounds.size(); ++b)
        if (secs <= bounds[b])
          ++totals_.duration_buckets[b];
      if (i + 1 == all.size())
        cs.alignment = aligned;
    } else {
      ++totals_.aborted;
    }
    recent_.push_back(std::move(cs));
    if (recent_.size() > recent_max_)
      recent_.pop_front();
  }
  checkpoints_seen_ = all.size();
}

} // namespace sluice::observability
