#include "bench/throughput_cases.hpp"

#include "bench/caf_actor_baseline.hpp"
#include "bench/caf_stream_baseline.hpp"
#include "bench/figures.hpp"
#include "bench/spsc_baseline.hpp"
#include "bench/temp_store.hpp"
#include "bench/timed_run.hpp"

#include <caf/sec.hpp>

#include <cstdio>
#include <string>
#include <vector>

namespace sluice::bench {

namespace {

/// Records per batch in every pipeline (the engine's default).
constexpr uint32_t batch_size = 1024;

/// The Sluice job's per-hop window in batches (its default budget of 16384
/// records over batches of 1024), given to the baselines too.
constexpr uint32_t window = 16;

job_options options_for(const bench_plan& plan, uint32_t parallelism) {
  job_options opts;
  opts.parallelism = parallelism;
  opts.duration = plan.engine_run;
  opts.interval = plan.checkpoint_interval;
  return opts;
}

/// One Sluice job with checkpoints into a fresh store, removed afterwards.
template <class Run>
caf::expected<engine_run> with_checkpoints(caf::actor_system& sys,
                                           job_options opts, workloads& work,
                                           Run run, const char* label) {
  temp_store store{label};
  opts.store = store.path();
  return run(sys, opts, work);
}

/// Runs of one case: without and with checkpoints, alternating.
struct paired_runs {
  std::vector<double> plain;
  std::vector<double> ckpt;
  engine_run last_plain;
  engine_run last_ckpt;
};

/// No runs between the engine's.
caf::error nothing_between() {
  return caf::none;
}

/// `rate(run)` of `reps` runs of `job` without and with checkpoints. After
/// each pair comes `between()` (the baselines' runs), so that a machine
/// whose load drifts over the case weighs on all of them alike.
template <class Run, class Rate, class Between = caf::error (*)()>
caf::expected<paired_runs>
run_pairs(caf::actor_system& sys, const bench_plan& plan, workloads& work,
          uint32_t parallelism, Run run, Rate rate, const char* label,
          Between between = nothing_between) {
  paired_runs result;
  auto opts = options_for(plan, parallelism);
  for (int i = 0; i < plan.repetitions; ++i) {
    auto plain = run(sys, opts, work);
    if (!plain)
      return std::move(plain.error());
    result.plain.push_back(rate(*plain));
    result.last_plain = std::move(*plain);
    auto ckpt = with_checkpoints(sys, opts, work, run, label);
    if (!ckpt)
      return std::move(ckpt.error());
    result.ckpt.push_back(rate(*ckpt));
    result.last_ckpt = std::move(*ckpt);
    if (auto err = between())
      return err;
  }
  return result;
}

double record_rate(const engine_run& x) {
  return per_second(x.records, x.elapsed);
}

double word_rate(const engine_run& x) {
  return per_second(x.words, x.elapsed);
}

/// Fails unless a baseline's sinks received what its sources produced.
caf::error check_baseline(const char* who, const baseline_run& run,
                          workloads& work) {
  uint64_t produced = 0;
  for (auto n : run.produced)
    produced += n;
  if (auto err = expect_equal(std::string{who} + ": sinks received",
                              run.received.records, produced))
    return err;
  return expect_equal(std::string{who} + ": checksum", run.received.sum,
                      work.stateless_sums(run.produced));
}

template <class Baseline>
caf::error run_baseline(const char* who, Baseline baseline,
                        const baseline_options& opts, workloads& work,
                        std::vector<double>& rates) {
  auto run = baseline(opts);
  if (!run)
    return std::move(run.error());
  if (auto err = check_baseline(who, *run, work))
    return err;
  uint64_t produced = 0;
  for (auto n : run->produced)
    produced += n;
  rates.push_back(per_second(produced, run->elapsed));
  return caf::none;
}

/// The line of a case with checkpoints: `what=count` of its last run, its
/// median rate `ckpt` next to the one without checkpoints, and the last
/// run's checkpoints.
void print_ckpt_line(const std::string& name, const char* what, uint64_t count,
                     const char* unit, double ckpt, double plain,
                     const engine_run& last) {
  std::printf("bench %s-ckpt %s=%llu engine=%.0f %s no-ckpt=%.0f "
              "ratio-vs-no-ckpt=%.3f%s\n",
              name.c_str(), what, static_cast<unsigned long long>(count), ckpt,
              unit, plain, ratio(ckpt, plain),
              to_fields(summarize(last.checkpoints)).c_str());
  std::fflush(stdout);
}

std::string case_name(const char* family, uint32_t parallelism) {
  return std::string{family} + "-p" + std::to_string(parallelism);
}

} // namespace

caf::error run_stateless_case(caf::actor_system& sys, const bench_plan& plan,
                              workloads& work, uint32_t parallelism) {
  baseline_options opts;
  opts.lanes = parallelism;
  opts.batch_size = batch_size;
  opts.window = window;
  opts.duration = plan.baseline_run;
  std::vector<double> spsc;
  std::vector<double> actors;
  std::vector<double> streams;
  auto baselines = [&]() -> caf::error {
    if (auto err = run_baseline("spsc", run_spsc_baseline, opts, work, spsc))
      return err;
    auto on_actors = [&sys](const baseline_options& x) {
      return run_caf_actor_baseline(sys, x);
    };
    if (auto err = run_baseline("caf-actors", on_actors, opts, work, actors))
      return err;
    auto on_streams = [&sys](const baseline_options& x) {
      return run_caf_stream_baseline(sys, x);
    };
    return run_baseline("caf-streams", on_streams, opts, work, streams);
  };
  auto runs = run_pairs(sys, plan, work, parallelism, run_stateless_job,
                        record_rate, "stateless", baselines);
  if (!runs)
    return std::move(runs.error());
  auto name = case_name("stateless", parallelism);
  auto engine = median(runs->plain);
  auto a = median(actors);
  auto s = median(streams);
  auto q = median(spsc);
  std::printf("bench %s records=%llu engine=%.0f records/s caf-actors=%.0f "
              "caf-streams=%.0f spsc=%.0f ratio-vs-caf-actors=%.3f "
              "ratio-vs-caf-streams=%.3f ratio-vs-spsc=%.3f\n",
              name.c_str(),
              static_cast<unsigned long long>(runs->last_plain.records), engine,
              a, s, q, ratio(engine, a), ratio(engine, s), ratio(engine, q));
  std::fflush(stdout);
  print_ckpt_line(name, "records", runs->last_ckpt.records, "records/s",
                  median(runs->ckpt), engine, runs->last_ckpt);
  return caf::none;
}

caf::error run_keyed_count_case(caf::actor_system& sys, const bench_plan& plan,
                                workloads& work, uint32_t parallelism) {
  auto runs = run_pairs(sys, plan, work, parallelism, run_keyed_count_job,
                        record_rate, "keyed-count");
  if (!runs)
    return std::move(runs.error());
  auto name = case_name("keyed-count", parallelism);
  auto engine = median(runs->plain);
  std::printf(
    "bench %s records=%llu keys=%llu zipf=1 distinct=%llu "
    "engine=%.0f records/s\n",
    name.c_str(), static_cast<unsigned long long>(runs->last_plain.records),
    static_cast<unsigned long long>(work.keys.size()),
    static_cast<unsigned long long>(runs->last_plain.distinct), engine);
  print_ckpt_line(name, "records", runs->last_ckpt.records, "records/s",
                  median(runs->ckpt), engine, runs->last_ckpt);
  return caf::none;
}

caf::error run_wordcount_case(caf::actor_system& sys, const bench_plan& plan,
                              workloads& work, uint32_t parallelism) {
  auto runs = run_pairs(sys, plan, work, parallelism, run_wordcount_job,
                        word_rate, "wordcount");
  if (!runs)
    return std::move(runs.error());
  auto name = case_name("wordcount", parallelism);
  auto engine = median(runs->plain);
  auto& last = runs->last_plain;
  std::printf("bench %s lines=%llu words=%llu distinct=%llu engine=%.0f "
              "words/s lines-per-s=%.0f\n",
              name.c_str(), static_cast<unsigned long long>(last.records),
              static_cast<unsigned long long>(last.words),
              static_cast<unsigned long long>(last.distinct), engine,
              record_rate(last));
  print_ckpt_line(name, "words", runs->last_ckpt.words, "words/s",
                  median(runs->ckpt), engine, runs->last_ckpt);
  return caf::none;
}

} // namespace sluice::bench
