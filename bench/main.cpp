// sluice_bench: figures of Sluice pipelines next to baselines run in the
// same process, one machine-readable line per case.
//
//   sluice_bench           default sizes, about 70 s on 2 cores
//   sluice_bench --long    longer runs, median of 3: steadier figures
//   sluice_bench --smoke   tiny runs: checks that every case completes
//   --case NAME            only the cases whose name starts with NAME
//                          (stateless, keyed-count-p2, batch-sweep, ...)
//
// Lines starting with "bench " carry figures (see throughput_cases.hpp,
// batch_sweep_case.hpp, latency_case.hpp, snapshot_case.hpp,
// alignment_case.hpp, recovery_case.hpp); lines starting with '#' are
// comments. Timing is never asserted: a case fails only when its results
// are wrong (sinks missing or repeating records, wrong checksums or counts)
// or its job fails or hangs. The other cases still run; the exit code is
// then 1.

#include "bench/alignment_case.hpp"
#include "bench/batch_sweep_case.hpp"
#include "bench/bench_plan.hpp"
#include "bench/caf_actor_baseline.hpp"
#include "bench/engine_pipelines.hpp"
#include "bench/latency_case.hpp"
#include "bench/recovery_case.hpp"
#include "bench/snapshot_case.hpp"
#include "bench/throughput_cases.hpp"

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scheduler/abstract_coordinator.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <sluice.hpp>

namespace {

using namespace sluice::bench;

/// Unreported runs of the engine and a baseline, so that the first case
/// does not pay for cold caches and a cold allocator.
caf::error warm_up(caf::actor_system& sys, const bench_plan& plan,
                   workloads& work) {
  job_options opts;
  opts.duration = std::min(plan.engine_run, std::chrono::milliseconds{500});
  if (auto run = run_stateless_job(sys, opts, work); !run)
    return std::move(run.error());
  baseline_options base;
  base.duration = std::min(plan.baseline_run, std::chrono::milliseconds{300});
  if (auto run = run_caf_actor_baseline(sys, base); !run)
    return std::move(run.error());
  return caf::none;
}

/// Runs every case whose name starts with `only`; returns the number that
/// failed.
int run_all(caf::actor_system& sys, const bench_plan& plan,
            const std::string& only) {
  auto corpus = std::make_shared<text_corpus>(10'000, 1 << 16);
  workloads work{plan.key_space, corpus};
  int failed = 0;
  auto attempt = [&](const std::string& name,
                     const std::function<caf::error()>& run) {
    if (name != "warm-up" && name.compare(0, only.size(), only) != 0)
      return;
    auto started = std::chrono::steady_clock::now();
    if (auto err = run()) {
      ++failed;
      std::printf("# %s FAILED: %s\n", name.c_str(),
                  sluice::describe(err).c_str());
      std::fprintf(stderr, "sluice_bench: %s failed: %s\n", name.c_str(),
                   sluice::describe(err).c_str());
    }
    std::printf(
      "# %s took %.1f s\n", name.c_str(),
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started)
        .count());
    std::fflush(stdout);
  };
  attempt("warm-up", [&] { return warm_up(sys, plan, work); });
  for (uint32_t p : {1u, 2u}) {
    auto suffix = "-p" + std::to_string(p);
    attempt("stateless" + suffix,
            [&] { return run_stateless_case(sys, plan, work, p); });
    attempt("keyed-count" + suffix,
            [&] { return run_keyed_count_case(sys, plan, work, p); });
    attempt("wordcount" + suffix,
            [&] { return run_wordcount_case(sys, plan, work, p); });
  }
  attempt("batch-sweep", [&] { return run_batch_sweep_case(sys, plan, work); });
  attempt("latency-p1", [&] { return run_latency_case(sys, plan, 1); });
  attempt("snapshot", [&] { return run_snapshot_case(sys, plan); });
  attempt("alignment", [&] { return run_alignment_case(sys, plan); });
  attempt("recovery", [&] { return run_recovery_case(sys, plan); });
  return failed;
}

} // namespace

int main(int argc, char** argv) {
  auto mode = run_mode::normal;
  std::string only;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--smoke") {
      mode = run_mode::smoke;
    } else if (arg == "--long") {
      mode = run_mode::long_run;
    } else if (arg == "--case" && i + 1 < argc) {
      only = argv[++i];
    } else {
      std::fprintf(stderr,
                   "usage: sluice_bench [--smoke | --long] [--case NAME]\n");
      return arg == "--help" || arg == "-h" ? 0 : 2;
    }
  }
  auto plan = bench_plan::for_mode(mode);
  // One worker per core (caf-0.17-guide.md section 8), at least two.
  auto threads = std::max(2u, std::thread::hardware_concurrency());
  caf::actor_system_config cfg;
  sluice::announce(cfg);
  cfg.set("scheduler.max-threads", static_cast<int64_t>(threads));
  caf::actor_system sys{cfg};
  std::printf("# sluice_bench mode=%s cores=%u scheduler.max-threads=%zu "
              "repetitions=%d (median) engine-run=%lldms baseline-run=%lldms "
              "batch=1024 checkpoints: every %lldms, exactly-once, "
              "incremental\n",
              to_string(mode), std::thread::hardware_concurrency(),
              sys.scheduler().num_workers(), plan.repetitions,
              static_cast<long long>(plan.engine_run.count()),
              static_cast<long long>(plan.baseline_run.count()),
              static_cast<long long>(plan.checkpoint_interval.count()));
  std::fflush(stdout);
  auto started = std::chrono::steady_clock::now();
  auto failed = run_all(sys, plan, only);
  std::printf(
    "# total %.1f s, %d failed\n",
    std::chrono::duration<double>(std::chrono::steady_clock::now() - started)
      .count(),
    failed);
  return failed == 0 ? 0 : 1;
}
