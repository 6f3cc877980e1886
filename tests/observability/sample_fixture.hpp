#pragma once

#include "observability/job_sample.hpp"

#include <chrono>

namespace sluice::testing {

/// A sample of a small job with every kind of figure: a source, a map with
/// two instances and a sink; two completed checkpoints and an aborted one;
/// a recovery; latencies. Names carry characters that need escaping.
inline observability::job_sample example_sample() {
  using namespace std::chrono_literals;
  using protocol::checkpoint_id;
  observability::job_sample s;
  s.job = "word \"count\"";
  s.graph.job = s.job;
  s.graph.stages = {{"lines", protocol::stage_role::source, 1},
                    {"split\\words", protocol::stage_role::transform, 2},
                    {"sink", protocol::stage_role::sink, 1}};
  s.graph.edges = {{"lines", "split\\words", protocol::partitioning::rebalance},
                   {"split\\words", "sink", protocol::partitioning::hash}};
  s.sequence = 7;
  s.uptime = 12s;
  s.window = 5s;
  auto add = [&](std::string stage, uint32_t i, uint64_t in, uint64_t out,
                 double share) {
    observability::instance_sample x;
    x.stage = std::move(stage);
    x.instance = i;
    x.budget = 1024;
    x.records_in = in;
    x.records_out = out;
    x.batches_in = in / 64;
    x.mailbox = 3;
    x.waiting = 192;
    x.credit_held = 64;
    x.credit_granted = 512;
    x.backpressured = 2500ms;
    x.alignment = 3ms;
    x.last_alignment = 1ms;
    x.snapshots = 2;
    x.rate_in = static_cast<double>(in) / 5;
    x.rate_out = static_cast<double>(out) / 5;
    x.backpressured_share = share;
    s.instances.push_back(std::move(x));
  };
  add("lines", 0, 1000, 1000, 0.9);
  add("split\\words", 0, 500, 2500, 0.6);
  add("split\\words", 1, 500, 2500, 0.2);
  add("sink", 0, 5000, 0, 0);
  auto cp = [](uint64_t id, bool completed, protocol::snapshot_kind kind,
               std::chrono::nanoseconds d, uint64_t bytes) {
    observability::checkpoint_sample c;
    c.stats.id = checkpoint_id{id};
    c.stats.kind = kind;
    c.stats.completed = completed;
    c.stats.duration = d;
    c.stats.bytes = bytes;
    if (!completed)
      c.stats.reason = "timed out";
    return c;
  };
  s.checkpoints = {cp(1, true, protocol::snapshot_kind::full, 40ms, 4096),
                   cp(2, false, protocol::snapshot_kind::delta, 1s, 0),
                   cp(3, true, protocol::snapshot_kind::delta, 20ms, 512)};
  s.checkpoints.back().alignment = 2ms;
  auto& t = s.checkpoint_total;
  t.completed = 2;
  t.aborted = 1;
  t.full = 1;
  t.delta = 1;
  t.bytes = 4608;
  t.duration = 60ms;
  // Bounds 0.01 0.05 0.1 ...: both completed ones took at most 50 ms.
  t.duration_buckets = {0, 2, 2, 2, 2, 2, 2, 2, 2, 2};
  actors::recovery_stats r;
  r.failed_stage = "split\\words";
  r.failed_instance = 1;
  r.reason = "injected fault\non a record";
  r.restored_checkpoint = 1;
  r.time_to_resume = 150ms;
  r.records_replayed = 300;
  r.bytes_read = 4096;
  s.recoveries = {r};
  s.nodes = {{"worker_a", "127.0.0.1:7001", true, 2, 1},
             {"worker_b", "[::1]:7002", false, 0, 0}};
  s.latency.count = 100;
  s.latency.mean = 3ms;
  s.latency.p50 = 2048us;
  s.latency.p90 = 4096us;
  s.latency.p99 = 8192us;
  s.latency.p999 = 16384us;
  return s;
}

} // namespace sluice::testing
