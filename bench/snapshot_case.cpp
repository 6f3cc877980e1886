#include "bench/snapshot_case.hpp"

#include "bench/figures.hpp"
#include "bench/latest_count_sink.hpp"
#include "bench/record_work.hpp"
#include "bench/temp_store.hpp"
#include "bench/timed_run.hpp"

#include <caf/sec.hpp>

#include <cstdio>
#include <string>

#include <sluice.hpp>

namespace sluice::bench {

namespace {

/// Every key once (indices below `keys`), then every 100th key again.
struct set_then_change {
  uint64_t keys;

  uint64_t operator()(uint64_t index, uint64_t) const noexcept {
    return index < keys ? index : (index - keys) * 100;
  }
};

/// The job of both runs; `records` is where the generator ends.
job_builder snapshot_job(const std::string& store, uint64_t keys,
                         uint64_t records, latest_count_sink<uint64_t> sink) {
  job_builder job{"bench-snapshot"};
  auto& cp = job.settings().checkpoints;
  cp.store = store;
  cp.interval = std::chrono::nanoseconds{0}; // only the final one
  cp.mode = protocol::checkpoint_mode::exactly_once;
  cp.full_every = 1000; // the second checkpoint must be a delta
  job.source("generate", generate(records, input_seed, set_then_change{keys}))
    .key_by([](uint64_t key) { return key; })
    .count("count")
    .sink("sink", sink);
  return job;
}

/// The final checkpoint of a run, which must have completed.
caf::expected<actors::checkpoint_stats> final_checkpoint(const job_report& r,
                                                         const char* run) {
  if (r.checkpoints.empty() || !r.checkpoints.back().completed
      || !r.checkpoints.back().final)
    return caf::make_error(caf::sec::runtime_error,
                           std::string{"snapshot: the "} + run
                             + " run has no completed final checkpoint");
  return r.checkpoints.back();
}

std::string label_of(uint64_t keys) {
  if (keys % 1'000'000 == 0)
    return std::to_string(keys / 1'000'000) + "m";
  if (keys % 1000 == 0)
    return std::to_string(keys / 1000) + "k";
  return std::to_string(keys);
}

} // namespace

caf::error run_snapshot_case(caf::actor_system& sys, const bench_plan& plan) {
  auto keys = plan.snapshot_keys;
  auto changed = keys / 100;
  temp_store store{"snapshot"};
  // Run 1: every key counted once; its final checkpoint is full.
  latest_count_sink<uint64_t> first_sink;
  auto first = run_to_end(snapshot_job(store.path(), keys, keys, first_sink),
                          sys, resume::fresh());
  if (!first)
    return std::move(first.error());
  auto one = [](uint64_t) { return uint64_t{1}; };
  auto counted = first_sink.tally->summarize(one);
  if (auto err = expect_equal("snapshot: first run, sum of the counts",
                              counted.total, keys))
    return err;
  if (auto err
      = expect_equal("snapshot: first run, keys", counted.distinct, keys))
    return err;
  auto full = final_checkpoint(*first, "first");
  if (!full)
    return std::move(full.error());
  // Run 2: resumed; 1% of the keys counted again, so they reach two.
  latest_count_sink<uint64_t> second_sink;
  auto second
    = run_to_end(snapshot_job(store.path(), keys, keys + changed, second_sink),
                 sys, resume::latest());
  if (!second)
    return std::move(second.error());
  if (auto err
      = expect_equal("snapshot: second run restored from",
                     second->restored_from, protocol::to_integer(full->id)))
    return err;
  auto recounted = second_sink.tally->summarize(one);
  if (auto err
      = expect_equal("snapshot: second run, keys", recounted.distinct, changed))
    return err;
  if (auto err = expect_equal("snapshot: second run, sum of the counts",
                              recounted.total, 2 * changed))
    return err;
  auto delta = final_checkpoint(*second, "second");
  if (!delta)
    return std::move(delta.error());
  std::printf(
    "bench snapshot-%s keys=%llu changed=%llu full-bytes=%llu "
    "delta-bytes=%llu ratio=%.4f full-ms=%.1f delta-ms=%.1f "
    "full-kind=%s delta-kind=%s\n",
    label_of(keys).c_str(), static_cast<unsigned long long>(keys),
    static_cast<unsigned long long>(changed),
    static_cast<unsigned long long>(full->bytes),
    static_cast<unsigned long long>(delta->bytes),
    ratio(static_cast<double>(delta->bytes), static_cast<double>(full->bytes)),
    to_ms(full->duration), to_ms(delta->duration),
    protocol::to_string(full->kind).c_str(),
    protocol::to_string(delta->kind).c_str());
  std::fflush(stdout);
  return caf::none;
}

} // namespace sluice::bench
