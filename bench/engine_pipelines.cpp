#include "bench/engine_pipelines.hpp"

#include "bench/checksum_sink.hpp"
#include "bench/latest_count_sink.hpp"
#include "bench/timed_run.hpp"
#include "bench/timed_source.hpp"

#include <numeric>
#include <utility>

#include <sluice.hpp>

namespace sluice::bench {

namespace {

job_builder make_job(const std::string& name, const job_options& opts) {
  engine_settings settings;
  settings.parallelism = opts.parallelism;
  settings.batch_size = opts.batch_size;
  settings.max_buffered_records = budget_for(opts.batch_size);
  job_builder job{name, settings};
  if (!opts.store.empty()) {
    auto& cp = job.settings().checkpoints;
    cp.store = opts.store;
    cp.interval = opts.interval;
    cp.mode = protocol::checkpoint_mode::exactly_once;
    cp.full_every = opts.full_every;
  }
  return job;
}

/// The parts of a run every case fills in the same way.
engine_run run_of(const job_report& report) {
  engine_run result;
  result.produced = offsets_of(report, "generate");
  result.records = std::accumulate(result.produced.begin(),
                                   result.produced.end(), uint64_t{0});
  result.elapsed = report.elapsed;
  result.checkpoints = report.checkpoints;
  return result;
}

} // namespace

caf::expected<engine_run> run_stateless_job(caf::actor_system& sys,
                                            const job_options& opts,
                                            workloads& work) {
  auto job = make_job("bench-stateless", opts);
  checksum_sink<event> sink;
  // Lambdas, not function pointers: the generator's constructor parameter
  // `make` would shadow its member function of that name (-Wshadow warns
  // for function-typed parameters).
  job
    .source("generate", for_time(generate(unbounded, input_seed,
                                          [](uint64_t i, uint64_t r) {
                                            return make_event(i, r);
                                          }),
                                 opts.duration))
    .map("map", [](const event& x) { return map_event(x); })
    .sink("sink", sink);
  auto report = run_to_end(job, sys);
  if (!report)
    return std::move(report.error());
  auto result = run_of(*report);
  auto got = sink.tally->total();
  if (auto err = expect_equal("stateless: generate shipped",
                              report->records_out("generate"), result.records))
    return err;
  if (auto err
      = expect_equal("stateless: sink received", got.records, result.records))
    return err;
  if (auto err = expect_equal("stateless: checksum", got.sum,
                              work.stateless_sums(result.produced)))
    return err;
  return result;
}

caf::expected<engine_run> run_keyed_count_job(caf::actor_system& sys,
                                              const job_options& opts,
                                              workloads& work) {
  auto job = make_job("bench-keyed-count", opts);
  latest_count_sink<uint64_t> sink;
  auto keys = work.keys;
  job
    .source("generate", for_time(generate(unbounded, input_seed,
                                          [keys](uint64_t, uint64_t random) {
                                            return keys(random);
                                          }),
                                 opts.duration))
    .key_by([](uint64_t key) { return key; })
    .count("count")
    .sink("sink", sink);
  auto report = run_to_end(job, sys);
  if (!report)
    return std::move(report.error());
  auto result = run_of(*report);
  auto got = sink.tally->summarize([](uint64_t key) { return key + 1; });
  result.distinct = got.distinct;
  if (auto err = expect_equal("keyed count: count received",
                              report->records_in("count"), result.records))
    return err;
  if (auto err = expect_equal("keyed count: sink received", got.records,
                              report->records_out("count")))
    return err;
  if (auto err = expect_equal("keyed count: sum of the latest counts",
                              got.total, result.records))
    return err;
  if (auto err = expect_equal("keyed count: latest counts times key + 1",
                              got.weighted, work.key_sums(result.produced)))
    return err;
  return result;
}

caf::expected<engine_run> run_wordcount_job(caf::actor_system& sys,
                                            const job_options& opts,
                                            workloads& work) {
  auto job = make_job("bench-wordcount", opts);
  latest_count_sink<std::string> sink;
  auto text = work.text;
  job
    .source("generate", for_time(generate(unbounded, input_seed,
                                          [text](uint64_t, uint64_t random) {
                                            return text->line(random);
                                          }),
                                 opts.duration))
    .flat_map<std::string>(
      "split", [](const std::string& line,
                  emitter<std::string>& out) { split_words(line, out); })
    .key_by([](const std::string& word) { return word; })
    .count("count")
    .sink("sink", sink);
  auto report = run_to_end(job, sys);
  if (!report)
    return std::move(report.error());
  auto result = run_of(*report);
  result.words = work.word_sums(result.produced);
  auto got = sink.tally->summarize([&text](const std::string& word) {
    auto id = text->id_of(word);
    return id ? *id + 1 : 0;
  });
  result.distinct = got.distinct;
  if (auto err = expect_equal("wordcount: split shipped",
                              report->records_out("split"), result.words))
    return err;
  if (auto err = expect_equal("wordcount: sink received", got.records,
                              report->records_out("count")))
    return err;
  if (auto err = expect_equal("wordcount: sum of the latest counts", got.total,
                              result.words))
    return err;
  if (auto err
      = expect_equal("wordcount: latest counts times word id + 1", got.weighted,
                     work.word_weight_sums(result.produced)))
    return err;
  return result;
}

} // namespace sluice::bench
