#include "bench/latency_case.hpp"

#include "bench/figures.hpp"
#include "bench/latency_sink.hpp"
#include "bench/timed_run.hpp"
#include "bench/timed_source.hpp"

#include <cstdio>
#include <numeric>
#include <optional>
#include <string>

#include <sluice.hpp>

namespace sluice::bench {

namespace {

/// Record `index` of the stateless case, stamped with the time it was made.
event stamped_event(uint64_t index, uint64_t random) {
  auto x = make_event(index, random);
  x.time_ns = steady_now_ns();
  return x;
}

struct latency_run {
  uint64_t records = 0;
  std::chrono::nanoseconds elapsed{0};
  latency_recorder latencies;
};

/// One run, at full speed or at `rate` records per second.
caf::expected<latency_run> run_once(caf::actor_system& sys,
                                    const bench_plan& plan,
                                    uint32_t parallelism,
                                    std::optional<double> rate) {
  engine_settings settings;
  settings.parallelism = parallelism;
  job_builder job{"bench-latency", settings};
  auto spec = generate(unbounded, input_seed, [](uint64_t i, uint64_t r) {
    return stamped_event(i, r);
  });
  if (rate)
    spec.rate(*rate);
  latency_sink sink;
  job.source("generate", for_time(spec, plan.latency_run))
    .map("map", [](const event& x) { return map_event(x); })
    .sink("sink", sink);
  auto report = run_to_end(job, sys);
  if (!report)
    return std::move(report.error());
  auto offsets = offsets_of(*report, "generate");
  latency_run result;
  result.records = std::accumulate(offsets.begin(), offsets.end(), uint64_t{0});
  result.elapsed = report->elapsed;
  result.latencies = sink.tally->total().latencies;
  if (auto err = expect_equal("latency: sink received",
                              result.latencies.count(), result.records))
    return err;
  return result;
}

double to_us(uint64_t ns) {
  return static_cast<double>(ns) / 1000.0;
}

} // namespace

caf::error run_latency_case(caf::actor_system& sys, const bench_plan& plan,
                            uint32_t parallelism) {
  auto full = run_once(sys, plan, parallelism, std::nullopt);
  if (!full)
    return std::move(full.error());
  auto max_rate = per_second(full->records, full->elapsed);
  auto half = max_rate / 2;
  auto run = run_once(sys, plan, parallelism, half);
  if (!run)
    return std::move(run.error());
  auto& h = run->latencies;
  std::printf(
    "bench latency-p%u max=%.0f rate=%.0f achieved=%.0f records/s "
    "records=%llu p50=%.1fus p90=%.1fus p99=%.1fus p999=%.1fus "
    "max-latency=%.1fus\n",
    parallelism, max_rate, half, per_second(run->records, run->elapsed),
    static_cast<unsigned long long>(run->records), to_us(h.percentile(0.5)),
    to_us(h.percentile(0.9)), to_us(h.percentile(0.99)),
    to_us(h.percentile(0.999)), to_us(h.max()));
  std::fflush(stdout);
  return caf::none;
}

} // namespace sluice::bench
