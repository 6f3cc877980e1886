#include "bench/engine_pipelines.hpp"

#include "bench/record_work.hpp"
#include <sluice.hpp>

#include <caf/sec.hpp>

#include <chrono>
#include <string>
#include <utility>

namespace sluice::bench {

namespace {

engine_settings settings_for(uint32_t batch_size, uint32_t parallelism) {
  engine_settings settings;
  settings.parallelism = parallelism;
  settings.batch_size = batch_size;
  settings.max_buffered_records = budget_for(batch_size);
  return settings;
}

/// Fails unless a finished job counted `records` where it should have.
caf::error expect_records(const std::string& what, uint64_t actual,
                          uint64_t records) {
  if (actual == records)
    return caf::none;
  return caf::make_error(caf::sec::runtime_error,
                         what + ": " + std::to_string(actual) + " records, "
                           + std::to_string(records) + " expected");
}

/// `job.run(sys)`, except that a job that hangs fails the benchmark instead
/// of blocking it forever.
caf::expected<job_report> run_to_end(const job_builder& job,
                                     caf::actor_system& sys) {
  constexpr auto patience = std::chrono::minutes{10};
  auto handle = job.start(sys);
  if (!handle)
    return std::move(handle.error());
  if (handle->wait_for(patience))
    return handle->wait();
  handle->stop();
  return caf::make_error(caf::sec::runtime_error,
                         "job '" + job.name() + "' did not end in 10 minutes");
}

} // namespace

caf::expected<engine_run> run_stateless_job(caf::actor_system& sys,
                                            uint64_t records,
                                            uint32_t batch_size) {
  job_builder job{"bench-stateless", settings_for(batch_size, 1)};
  checksum_sink<uint64_t> sink;
  job
    .source("generate", generate(records, input_seed,
                                 [](uint64_t index, uint64_t random) {
                                   return stateless_record(index, random);
                                 }))
    .map("map", [](uint64_t x) { return stateless_map(x); })
    .sink("sink", sink);
  auto report = run_to_end(job, sys);
  if (!report)
    return std::move(report.error());
  if (auto err = expect_records("generate produced",
                                report->records_out("generate"), records))
    return err;
  return engine_run{sink.tally->total(), report->elapsed};
}

caf::expected<engine_run> run_keyed_job(caf::actor_system& sys,
                                        uint64_t records, uint32_t batch_size,
                                        uint64_t keys) {
  job_builder job{"bench-keyed", settings_for(batch_size, 2)};
  checksum_sink<std::pair<uint64_t, uint64_t>> sink;
  job
    .source("generate", generate(records, input_seed,
                                 [keys](uint64_t, uint64_t random) {
                                   return random % keys;
                                 }))
    .key_by([](uint64_t key) { return key; })
    .count("count")
    .sink("sink", sink);
  auto report = run_to_end(job, sys);
  if (!report)
    return std::move(report.error());
  if (auto err
      = expect_records("count received", report->records_in("count"), records))
    return err;
  auto received = sink.tally->total();
  if (auto err = expect_records("sink received", received.records,
                                report->records_out("count")))
    return err;
  return engine_run{received, report->elapsed};
}

} // namespace sluice::bench
