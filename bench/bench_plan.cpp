#include "bench/bench_plan.hpp"

namespace sluice::bench {

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

bench_plan bench_plan::for_mode(run_mode mode) {
  using std::chrono::milliseconds;
  bench_plan plan;
  plan.mode = mode;
  switch (mode) {
  case run_mode::smoke:
    // Every case completes and is checked; the figures mean nothing.
    plan.engine_run = milliseconds{200};
    plan.baseline_run = milliseconds{100};
    plan.checkpoint_interval = milliseconds{50};
    plan.key_space = 10'000;
    plan.snapshot_keys = 10'000;
    plan.sweep_engine_run = milliseconds{100};
    plan.sweep_baseline_run = milliseconds{50};
    plan.latency_run = milliseconds{200};
    plan.alignment_run = milliseconds{300};
    plan.alignment_interval = milliseconds{30};
    plan.recovery_keys = {1000};
    plan.recovery_intervals = {milliseconds{50}};
    plan.recovery_rate = 20'000;
    plan.recovery_lead = milliseconds{200};
    plan.recovery_tail = milliseconds{100};
    break;
  case run_mode::normal:
    break; // the defaults: about 70 s on 2 cores in all
  case run_mode::long_run:
    plan.repetitions = 3;
    plan.engine_run = milliseconds{5000};
    plan.baseline_run = milliseconds{3000};
    plan.sweep_engine_run = milliseconds{3000};
    plan.sweep_baseline_run = milliseconds{2000};
    plan.latency_run = milliseconds{5000};
    plan.alignment_run = milliseconds{5000};
    break;
  }
  return plan;
}

} // namespace sluice::bench
