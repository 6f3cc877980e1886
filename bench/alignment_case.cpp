#include "bench/alignment_case.hpp"

#include "bench/figures.hpp"
#include "bench/slow_sink.hpp"
#include "bench/temp_store.hpp"
#include "bench/timed_run.hpp"
#include "bench/timed_source.hpp"

#include <cstdio>
#include <numeric>
#include <vector>

#include <sluice.hpp>

namespace sluice::bench {

namespace {

/// What the union instance reported in one run.
struct alignment_run {
  uint64_t snapshots = 0;
  uint64_t alignment_ns = 0;      ///< Sum over its snapshots.
  std::vector<double> samples_ms; ///< `last_alignment_ns`, per snapshot.
  double backpressured = 0;       ///< Share of the sources' time.
  std::vector<actors::checkpoint_stats> checkpoints;

  double mean_ms() const {
    return snapshots > 0 ? static_cast<double>(alignment_ns) / 1e6
                             / static_cast<double>(snapshots)
                         : 0.0;
  }

  double max_ms() const {
    double result = 0;
    for (auto x : samples_ms)
      result = std::max(result, x);
    return result;
  }
};

/// Copies the live figures of the union and the sources; samples the
/// union's `last_alignment_ns` each time its snapshot count grew.
struct alignment_watch {
  uint64_t snapshots = 0;
  uint64_t alignment_ns = 0;
  uint64_t backpressured_ns = 0; ///< Over both sources.
  std::vector<double> samples_ms;

  void operator()(const job_handle& handle) {
    using actors::instance_metrics;
    constexpr auto relaxed = std::memory_order_relaxed;
    auto& metrics = handle.metrics();
    for (auto& m : metrics.instances()) {
      if (m->stage != "merge")
        continue;
      auto n = m->snapshots.load(relaxed);
      if (n != snapshots) {
        snapshots = n;
        auto ns = m->last_alignment_ns.load(relaxed);
        samples_ms.push_back(static_cast<double>(ns) / 1e6);
      }
      alignment_ns = m->alignment_ns.load(relaxed);
    }
    backpressured_ns
      = metrics.sum("left", &instance_metrics::backpressured_ns)
        + metrics.sum("right", &instance_metrics::backpressured_ns);
  }
};

caf::expected<alignment_run> run_once(caf::actor_system& sys,
                                      const bench_plan& plan,
                                      std::chrono::nanoseconds per_record) {
  temp_store store{"alignment"};
  job_builder job{"bench-alignment"};
  auto& cp = job.settings().checkpoints;
  cp.store = store.path();
  cp.interval = plan.alignment_interval;
  cp.mode = protocol::checkpoint_mode::exactly_once;
  auto index = [](uint64_t i, uint64_t) { return i; };
  auto run = plan.alignment_run;
  auto left = job.source("left", for_time(generate(unbounded, 1, index), run));
  auto right
    = job.source("right", for_time(generate(unbounded, 2, index), run));
  slow_sink<uint64_t> sink;
  sink.per_record = per_record;
  left.union_with("merge", right).sink("sink", sink);
  auto watch = std::make_shared<alignment_watch>();
  auto report = run_to_end(job, sys, resume::fresh(),
                           [watch](const job_handle& h) { (*watch)(h); });
  if (!report)
    return std::move(report.error());
  auto got = sink.tally->total();
  auto n_left = report->records_out("left");
  auto n_right = report->records_out("right");
  if (auto err
      = expect_equal("alignment: sink received", got.records, n_left + n_right))
    return err;
  // Record i of each source is i: its sum is n (n - 1) / 2.
  auto sum_below = [](uint64_t n) {
    return n % 2 == 0 ? (n / 2) * (n - 1) : n * ((n - 1) / 2);
  };
  if (auto err = expect_equal("alignment: checksum", got.sum,
                              sum_below(n_left) + sum_below(n_right)))
    return err;
  alignment_run result;
  result.snapshots = watch->snapshots;
  result.alignment_ns = watch->alignment_ns;
  result.samples_ms = std::move(watch->samples_ms);
  auto source_time = 2 * std::chrono::duration<double>(report->elapsed).count();
  result.backpressured
    = source_time > 0
        ? static_cast<double>(watch->backpressured_ns) / 1e9 / source_time
        : 0.0;
  result.checkpoints = report->checkpoints;
  return result;
}

} // namespace

caf::error run_alignment_case(caf::actor_system& sys, const bench_plan& plan) {
  constexpr std::chrono::nanoseconds slow{1000};
  auto busy = run_once(sys, plan, slow);
  if (!busy)
    return std::move(busy.error());
  auto free = run_once(sys, plan, std::chrono::nanoseconds{0});
  if (!free)
    return std::move(free.error());
  auto ckpt = summarize(busy->checkpoints);
  std::printf("bench alignment inputs=2 interval-ms=%lld "
              "sink-ns-per-record=%lld snapshots=%llu mean=%.2fms p50=%.2fms "
              "max=%.2fms backpressured=%.0f%% checkpoints=%zu "
              "ckpt-ms-mean=%.1f ckpt-ms-max=%.1f unthrottled-snapshots=%llu "
              "unthrottled-mean=%.3fms unthrottled-max=%.3fms "
              "unthrottled-backpressured=%.0f%%\n",
              static_cast<long long>(plan.alignment_interval.count()),
              static_cast<long long>(slow.count()),
              static_cast<unsigned long long>(busy->snapshots), busy->mean_ms(),
              median(busy->samples_ms), busy->max_ms(),
              100 * busy->backpressured, ckpt.completed, ckpt.mean_ms,
              ckpt.max_ms, static_cast<unsigned long long>(free->snapshots),
              free->mean_ms(), free->max_ms(), 100 * free->backpressured);
  std::fflush(stdout);
  return caf::none;
}

} // namespace sluice::bench
