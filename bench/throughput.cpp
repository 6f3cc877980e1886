// Throughput of Sluice pipelines, in records per second.
//
//   sluice_bench           default sizes, well under a minute on 2 cores
//   sluice_bench --long    larger inputs and more repetitions
//   sluice_bench --smoke   tiny inputs: checks that every case completes
//
// One line per case and batch size, e.g.
//
//   bench stateless-p1 batch=1024 records=N engine=X caf-actors=Y records/s
//     ratio-vs-caf-actors=Z
//
// (on one line): X is records generated / elapsed time of the Sluice job,
// Y the same pipeline as plain CAF actors with the same batch size and
// credit window, Z = X / Y. Each figure is the median of the repetitions.
// Lines starting with '#' are comments. Timing is never asserted; a run
// whose sinks did not receive exactly the expected records fails (exit 1).

#include "bench/caf_actor_baseline.hpp"
#include "bench/engine_pipelines.hpp"
#include "bench/record_work.hpp"
#include <sluice.hpp>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scheduler/abstract_coordinator.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace sluice::bench;

/// How much work a run does.
enum class run_mode { smoke, normal, long_run };

const char* to_string(run_mode x) {
  switch (x) {
  case run_mode::smoke:
    return "smoke";
  case run_mode::normal:
    return "default";
  case run_mode::long_run:
    return "long";
  }
  return "?";
}

/// Batch sizes every case runs with.
constexpr uint32_t batch_sizes[] = {1, 64, 1024};

/// Distinct keys of the keyed case.
constexpr uint64_t keyed_keys = 10000;

/// Records per run. Batches of one record cost a message each, so they get
/// far fewer records than full batches.
uint64_t records_for(run_mode mode, uint32_t batch_size) {
  switch (mode) {
  case run_mode::smoke:
    return 3000;
  case run_mode::normal:
    return batch_size == 1     ? 300'000
           : batch_size < 1024 ? 5'000'000
                               : 20'000'000;
  case run_mode::long_run:
    return batch_size == 1     ? 3'000'000
           : batch_size < 1024 ? 50'000'000
                               : 200'000'000;
  }
  return 0;
}

int repetitions_for(run_mode mode) {
  return mode == run_mode::smoke ? 1 : mode == run_mode::normal ? 3 : 5;
}

double rate(uint64_t records, std::chrono::nanoseconds elapsed) {
  auto seconds = std::chrono::duration<double>(elapsed).count();
  return seconds > 0 ? static_cast<double>(records) / seconds : 0.0;
}

double median(std::vector<double> xs) {
  std::sort(xs.begin(), xs.end());
  auto n = xs.size();
  return n % 2 == 1 ? xs[n / 2] : (xs[n / 2 - 1] + xs[n / 2]) / 2;
}

/// Fails unless a sink received all `records` with the expected checksum.
caf::error check_stateless(const char* who, const sink_totals& got,
                           uint64_t records, uint64_t checksum) {
  if (got.records == records && got.sum == checksum)
    return caf::none;
  return caf::make_error(caf::sec::runtime_error,
                         std::string{who} + ": sink received "
                           + std::to_string(got.records) + " of "
                           + std::to_string(records) + " records, checksum "
                           + (got.sum == checksum ? "ok" : "wrong"));
}

/// Median records/s of the Sluice job and of the plain-actor baseline,
/// alternating so that drift in the machine's load hits both alike.
caf::error run_stateless_case(caf::actor_system& sys, uint64_t records,
                              uint32_t batch_size, int reps) {
  auto checksum = stateless_checksum(records);
  baseline_options opts;
  opts.records = records;
  opts.batch_size = batch_size;
  // The window of the Sluice job's map -> sink channel, in batches.
  opts.window = static_cast<uint32_t>(budget_for(batch_size) / batch_size);
  std::vector<double> engine;
  std::vector<double> actors;
  for (int i = 0; i < reps; ++i) {
    auto run = run_stateless_job(sys, records, batch_size);
    if (!run)
      return std::move(run.error());
    if (auto err = check_stateless("engine", run->received, records, checksum))
      return err;
    engine.push_back(rate(records, run->elapsed));
    auto base = run_caf_actor_baseline(sys, opts);
    if (!base)
      return std::move(base.error());
    if (auto err
        = check_stateless("caf-actors", base->received, records, checksum))
      return err;
    actors.push_back(rate(records, base->elapsed));
  }
  auto x = median(engine);
  auto y = median(actors);
  std::printf("bench stateless-p1 batch=%u records=%llu engine=%.0f "
              "caf-actors=%.0f records/s ratio-vs-caf-actors=%.3f\n",
              batch_size, static_cast<unsigned long long>(records), x, y,
              y > 0 ? x / y : 0.0);
  std::fflush(stdout);
  return caf::none;
}

caf::error run_keyed_case(caf::actor_system& sys, uint64_t records,
                          uint32_t batch_size, int reps) {
  std::vector<double> engine;
  for (int i = 0; i < reps; ++i) {
    auto run = run_keyed_job(sys, records, batch_size, keyed_keys);
    if (!run)
      return std::move(run.error());
    engine.push_back(rate(records, run->elapsed));
  }
  std::printf("bench keyed-p2 batch=%u records=%llu keys=%llu engine=%.0f "
              "records/s\n",
              batch_size, static_cast<unsigned long long>(records),
              static_cast<unsigned long long>(keyed_keys), median(engine));
  std::fflush(stdout);
  return caf::none;
}

/// Unreported runs of both pipelines, so that the first case does not pay
/// for cold caches and a cold allocator.
caf::error warm_up(caf::actor_system& sys, run_mode mode) {
  auto records = std::min<uint64_t>(records_for(mode, 1024), 1'000'000);
  if (auto run = run_stateless_job(sys, records, 1024); !run)
    return std::move(run.error());
  baseline_options opts;
  opts.records = records;
  if (auto base = run_caf_actor_baseline(sys, opts); !base)
    return std::move(base.error());
  return caf::none;
}

caf::error run_all(caf::actor_system& sys, run_mode mode) {
  if (auto err = warm_up(sys, mode))
    return err;
  auto reps = repetitions_for(mode);
  for (auto batch_size : batch_sizes)
    if (auto err = run_stateless_case(sys, records_for(mode, batch_size),
                                      batch_size, reps))
      return err;
  for (auto batch_size : batch_sizes)
    if (auto err
        = run_keyed_case(sys, records_for(mode, batch_size), batch_size, reps))
      return err;
  return caf::none;
}

} // namespace

int main(int argc, char** argv) {
  auto mode = run_mode::normal;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--smoke") {
      mode = run_mode::smoke;
    } else if (arg == "--long") {
      mode = run_mode::long_run;
    } else {
      std::fprintf(stderr, "usage: sluice_bench [--smoke | --long]\n");
      return arg == "--help" || arg == "-h" ? 0 : 2;
    }
  }
  auto threads = std::max(2u, std::thread::hardware_concurrency());
  caf::actor_system_config cfg;
  sluice::announce(cfg);
  cfg.set("scheduler.max-threads", static_cast<int64_t>(threads));
  caf::actor_system sys{cfg};
  std::printf("# sluice_bench mode=%s scheduler.max-threads=%zu "
              "repetitions=%d (median)\n",
              to_string(mode), sys.scheduler().num_workers(),
              repetitions_for(mode));
  std::fflush(stdout);
  if (auto err = run_all(sys, mode)) {
    std::fprintf(stderr, "sluice_bench failed: %s\n",
                 sluice::describe(err).c_str());
    return 1;
  }
  return 0;
}
