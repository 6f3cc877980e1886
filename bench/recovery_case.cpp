#include "bench/recovery_case.hpp"

#include "bench/figures.hpp"
#include "bench/latest_count_sink.hpp"
#include "bench/paced_source.hpp"
#include "bench/record_work.hpp"
#include "bench/temp_store.hpp"
#include "bench/timed_run.hpp"

#include <caf/sec.hpp>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <sluice.hpp>

namespace sluice::bench {

namespace {

using std::chrono::milliseconds;
using clock_type = std::chrono::steady_clock;

/// The key of record `index`: the first `keys` records build the state,
/// one per key; later ones pick a key uniformly at random.
struct fill_then_random {
  uint64_t keys;

  uint64_t operator()(uint64_t index, uint64_t random) const noexcept {
    return index < keys ? index : random % keys;
  }
};

/// One combination of the grid, in records.
struct recovery_setup {
  uint64_t keys = 0;
  milliseconds interval{0};
  double rate = 0;
  uint64_t fault_after = 0; ///< Records the count instance processes first.
  uint64_t records = 0;     ///< Where the generator ends.

  static recovery_setup make(const bench_plan& plan, uint64_t keys,
                             milliseconds interval) {
    recovery_setup result;
    result.keys = keys;
    result.interval = interval;
    result.rate = plan.recovery_rate;
    auto lead = std::max(std::chrono::duration<double>(plan.recovery_lead),
                         2.5 * std::chrono::duration<double>(interval));
    auto tail = std::max(std::chrono::duration<double>(plan.recovery_tail),
                         std::chrono::duration<double>(interval));
    result.fault_after
      = keys + static_cast<uint64_t>(lead.count() * result.rate);
    result.records
      = result.fault_after + static_cast<uint64_t>(tail.count() * result.rate);
    return result;
  }
};

/// Follows a running job until its first failure: which checkpoints had
/// completed by then, and how fast the paced source read.
struct recovery_watch {
  std::shared_ptr<pace_start> paced;
  uint64_t burst = 0;
  bool failed = false;
  size_t completed_before = 0;
  uint64_t newest_before = 0; ///< Id of the newest completed checkpoint.
  uint64_t read = 0;          ///< Source records at the last sample.
  clock_type::time_point sampled;

  void operator()(const job_handle& handle) {
    if (failed)
      return;
    auto& metrics = handle.metrics();
    // Checkpoints first: if no failure was counted after reading them, they
    // all completed before it.
    auto checkpoints = metrics.checkpoints();
    auto source
      = metrics.sum("generate", &actors::instance_metrics::records_in);
    if (metrics.failures() > 0) {
      failed = true;
      return;
    }
    completed_before = 0;
    for (auto& c : checkpoints)
      if (c.completed) {
        ++completed_before;
        newest_before = std::max(newest_before, protocol::to_integer(c.id));
      }
    read = source;
    sampled = clock_type::now();
  }

  /// Records per second the source read while paced, before the failure.
  double read_rate() const {
    auto start = paced->load();
    if (start == 0 || read <= burst)
      return 0;
    auto since = sampled.time_since_epoch() - std::chrono::nanoseconds{start};
    return per_second(read - burst, since);
  }
};

/// The figures of one run.
struct recovery_run {
  actors::recovery_stats recovery;
  std::string restored_kind = "none";
  size_t checkpoints_before = 0;
  double read_per_interval = 0;
  checkpoint_summary checkpoints; ///< Of the whole run.
};

/// The final counts must be those of the records the generator made: as
/// many as it made, every key, and two per-key checksums.
caf::error check_counts(const count_tally<uint64_t>& tally,
                        const recovery_setup& setup) {
  auto key = fill_then_random{setup.keys};
  auto plus_one = [](uint64_t k) { return k + 1; };
  auto hashed = [](uint64_t k) { return protocol::mix64(k); };
  uint64_t want_plus_one = 0;
  uint64_t want_hashed = 0;
  for (uint64_t i = 0; i < setup.records; ++i) {
    auto k = key(i, random_of(input_seed, i));
    want_plus_one += plus_one(k);
    want_hashed += hashed(k);
  }
  auto got = tally.summarize(plus_one);
  if (auto err = expect_equal("recovery: sum of the final counts", got.total,
                              setup.records))
    return err;
  if (auto err
      = expect_equal("recovery: keys counted", got.distinct, setup.keys))
    return err;
  if (auto err = expect_equal("recovery: counts weighted by key + 1",
                              got.weighted, want_plus_one))
    return err;
  return expect_equal("recovery: counts weighted by a key hash",
                      tally.summarize(hashed).weighted, want_hashed);
}

caf::expected<recovery_run> run_once(caf::actor_system& sys,
                                     const recovery_setup& setup) {
  temp_store store{"recovery"};
  job_builder job{"bench-recovery"};
  auto& cp = job.settings().checkpoints;
  cp.store = store.path();
  cp.interval = setup.interval;
  cp.mode = protocol::checkpoint_mode::exactly_once;
  // Time to resume without the restart policy's deliberate delay.
  auto& restarts = job.settings().restarts;
  restarts.initial_backoff = std::chrono::nanoseconds{0};
  restarts.jitter = 0;
  auto& faults = job.settings().faults;
  faults.stage = "count";
  faults.after_records = setup.fault_after;
  faults.count = 1;
  faults.seed = input_seed;
  auto source
    = paced(generate(setup.records, input_seed, fill_then_random{setup.keys}),
            setup.keys, setup.rate);
  latest_count_sink<uint64_t> sink;
  job.source("generate", source)
    .key_by([](uint64_t key) { return key; })
    .count("count")
    .sink("sink", sink);
  auto watch = std::make_shared<recovery_watch>();
  watch->paced = source.started;
  watch->burst = setup.keys;
  auto report = run_to_end(job, sys, resume::fresh(),
                           [watch](const job_handle& h) { (*watch)(h); });
  if (!report)
    return std::move(report.error());
  if (report->recoveries.size() != 1)
    return caf::make_error(caf::sec::runtime_error,
                           "recovery: "
                             + std::to_string(report->recoveries.size())
                             + " recoveries reported, expected 1");
  recovery_run result;
  result.recovery = report->recoveries.front();
  auto& r = result.recovery;
  if (r.failed_stage != "count")
    return caf::make_error(caf::sec::runtime_error,
                           "recovery: the failure was seen in stage '"
                             + r.failed_stage
                             + "', expected 'count': " + r.reason);
  if (r.restored_checkpoint < watch->newest_before)
    return caf::make_error(
      caf::sec::runtime_error,
      "recovery: restored checkpoint " + std::to_string(r.restored_checkpoint)
        + ", but checkpoint " + std::to_string(watch->newest_before)
        + " had completed before the failure");
  if (r.restored_checkpoint > 0) {
    auto restored = std::find_if(
      report->checkpoints.begin(), report->checkpoints.end(),
      [&](const actors::checkpoint_stats& c) {
        return protocol::to_integer(c.id) == r.restored_checkpoint;
      });
    if (restored == report->checkpoints.end() || !restored->completed)
      return caf::make_error(caf::sec::runtime_error,
                             "recovery: restored checkpoint "
                               + std::to_string(r.restored_checkpoint)
                               + ", which did not complete in this run");
    result.restored_kind = protocol::to_string(restored->kind);
  }
  auto offsets = offsets_of(*report, "generate");
  if (auto err
      = expect_equal("recovery: source offset at the end",
                     offsets.empty() ? 0 : offsets.front(), setup.records))
    return err;
  if (auto err = check_counts(*sink.tally, setup))
    return err;
  result.checkpoints_before = watch->completed_before;
  result.checkpoints = summarize(report->checkpoints);
  result.read_per_interval
    = watch->read_rate()
      * std::chrono::duration<double>(setup.interval).count();
  return result;
}

/// The figures of one combination over its runs: medians.
struct recovery_figures {
  recovery_setup setup;
  size_t runs = 0;
  double read_per_interval = 0;
  double checkpoints_before = 0;
  double restored_checkpoint = 0;
  std::string restored_kind;
  double restored_bytes = 0;
  double resume_ms = 0;
  double resume_ms_max = 0;
  double replayed = 0;
  double checkpoint_ms = 0;
  double checkpoint_ms_max = 0;

  recovery_figures(const recovery_setup& x, const std::vector<recovery_run>& xs)
      : setup(x), runs(xs.size()) {
    auto med = [&](auto field) {
      std::vector<double> values;
      for (auto& run : xs)
        values.push_back(field(run));
      return median(std::move(values));
    };
    read_per_interval = med([](auto& y) { return y.read_per_interval; });
    checkpoints_before
      = med([](auto& y) { return static_cast<double>(y.checkpoints_before); });
    restored_checkpoint = med([](auto& y) {
      return static_cast<double>(y.recovery.restored_checkpoint);
    });
    restored_bytes
      = med([](auto& y) { return static_cast<double>(y.recovery.bytes_read); });
    resume_ms = med([](auto& y) { return to_ms(y.recovery.time_to_resume); });
    replayed = med(
      [](auto& y) { return static_cast<double>(y.recovery.records_replayed); });
    checkpoint_ms = med([](auto& y) { return y.checkpoints.mean_ms; });
    for (auto& run : xs) {
      checkpoint_ms_max = std::max(checkpoint_ms_max, run.checkpoints.max_ms);
      resume_ms_max
        = std::max(resume_ms_max, to_ms(run.recovery.time_to_resume));
      if (restored_kind.empty())
        restored_kind = run.restored_kind;
      else if (restored_kind != run.restored_kind)
        restored_kind = "mixed";
    }
  }

  void print_line() const {
    std::printf(
      "bench recovery keys=%llu interval-ms=%lld rate=%.0f runs=%zu "
      "read-per-interval=%.0f checkpoints-before-fault=%.0f "
      "restored-checkpoint=%.0f restored-kind=%s "
      "restored-bytes=%.0f resume-ms=%.1f resume-ms-max=%.1f "
      "replayed=%.0f replayed-per-interval=%.2f ckpt-ms-mean=%.1f "
      "ckpt-ms-max=%.1f\n",
      static_cast<unsigned long long>(setup.keys),
      static_cast<long long>(setup.interval.count()), setup.rate, runs,
      read_per_interval, checkpoints_before, restored_checkpoint,
      restored_kind.c_str(), restored_bytes, resume_ms, resume_ms_max, replayed,
      ratio(replayed, read_per_interval), checkpoint_ms, checkpoint_ms_max);
  }

  void print_row() const {
    std::printf("# %9llu %7lld ms %14.0f %10.1f %10.0f %14.0f\n",
                static_cast<unsigned long long>(setup.keys),
                static_cast<long long>(setup.interval.count()), restored_bytes,
                resume_ms, replayed, read_per_interval);
  }
};

} // namespace

caf::error run_recovery_case(caf::actor_system& sys, const bench_plan& plan) {
  std::vector<recovery_figures> table;
  for (auto keys : plan.recovery_keys)
    for (auto interval : plan.recovery_intervals) {
      auto setup = recovery_setup::make(plan, keys, interval);
      std::vector<recovery_run> runs;
      for (int i = 0; i < plan.repetitions; ++i) {
        auto run = run_once(sys, setup);
        if (!run)
          return std::move(run.error());
        runs.push_back(std::move(*run));
      }
      table.emplace_back(setup, runs);
      table.back().print_line();
      std::fflush(stdout);
    }
  std::printf("# recovery from one fault in a keyed count, %.0f records/s "
              "once the state is built (%s of %d run%s):\n",
              plan.recovery_rate, plan.repetitions > 1 ? "median" : "figures",
              plan.repetitions, plan.repetitions > 1 ? "s" : "");
  std::printf("# %9s %10s %14s %10s %10s %14s\n", "keys", "interval",
              "restored bytes", "resume ms", "replayed", "read/interval");
  for (auto& row : table)
    row.print_row();
  std::fflush(stdout);
  return caf::none;
}

} // namespace sluice::bench
