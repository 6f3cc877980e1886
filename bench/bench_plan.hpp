#pragma once

#include <chrono>
#include <cstdint>
#include <vector>

namespace sluice::bench {

/// How much work a benchmark run does.
enum class run_mode { smoke, normal, long_run };

const char* to_string(run_mode x);

/// The sizes of one benchmark run. Throughput runs are timed rather than
/// counted: every case takes about as long on any machine, and a run with
/// checkpoints every second sees several of them.
struct bench_plan {
  run_mode mode = run_mode::normal;
  /// Runs per figure; the figure is their median.
  int repetitions = 1;
  /// One Sluice job of a throughput case.
  std::chrono::milliseconds engine_run{2000};
  /// One baseline run.
  std::chrono::milliseconds baseline_run{1000};
  /// Between checkpoints in the throughput cases ("every second").
  std::chrono::milliseconds checkpoint_interval{1000};
  /// Key space of the keyed count (keys 0 .. key_space-1, Zipf-skewed).
  uint64_t key_space = 1'000'000;
  /// Keys of the snapshot case.
  uint64_t snapshot_keys = 1'000'000;
  /// Batch sizes of the batch-sweep case, and each of its Sluice jobs and
  /// baseline runs: six jobs and three baseline runs per repetition. Runs
  /// are timed, so batches of one record, the slowest, take no longer.
  std::vector<uint32_t> sweep_batch_sizes{1, 64, 1024};
  std::chrono::milliseconds sweep_engine_run{1500};
  std::chrono::milliseconds sweep_baseline_run{750};
  /// Each of the latency case's two runs (maximum rate, then half of it).
  std::chrono::milliseconds latency_run{2000};
  /// Each of the alignment case's two runs, and its checkpoint interval.
  std::chrono::milliseconds alignment_run{2000};
  std::chrono::milliseconds alignment_interval{100};
  /// State sizes (keys) and checkpoint intervals of the recovery case: one
  /// run per combination (`repetitions` runs with `--long`).
  std::vector<uint64_t> recovery_keys{10'000, 100'000, 1'000'000};
  std::vector<std::chrono::milliseconds> recovery_intervals{
    std::chrono::milliseconds{100}, std::chrono::milliseconds{500},
    std::chrono::milliseconds{1000}};
  /// Records per second the recovery case reads once its state is built.
  double recovery_rate = 200'000;
  /// Paced reading before the recovery case's fault: at least this long
  /// and at least 2.5 checkpoint intervals.
  std::chrono::milliseconds recovery_lead{1000};
  /// Paced reading after the fault: at least this long and at least one
  /// checkpoint interval.
  std::chrono::milliseconds recovery_tail{500};

  static bench_plan for_mode(run_mode mode);
};

} // namespace sluice::bench
