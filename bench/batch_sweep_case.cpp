#include "bench/batch_sweep_case.hpp"

#include "bench/caf_actor_baseline.hpp"
#include "bench/figures.hpp"
#include "bench/timed_run.hpp"
#include "protocol/describe.hpp"

#include <caf/sec.hpp>

#include <cstdio>
#include <string>
#include <utility>
#include <vector>

namespace sluice::bench {

namespace {

/// Fails unless the baseline's sinks received what its sources produced.
caf::error check_caf_actors(const baseline_run& run, workloads& work) {
  uint64_t produced = 0;
  for (auto n : run.produced)
    produced += n;
  if (auto err = expect_equal("batch-sweep caf-actors: sinks received",
                              run.received.records, produced))
    return err;
  return expect_equal("batch-sweep caf-actors: checksum", run.received.sum,
                      work.stateless_sums(run.produced));
}

/// The figures of one batch size.
struct sweep_point {
  std::vector<double> stateless;
  std::vector<double> caf_actors;
  std::vector<double> keyed;
  engine_run last_stateless;
  engine_run last_keyed;
};

caf::expected<sweep_point> run_point(caf::actor_system& sys,
                                     const bench_plan& plan, workloads& work,
                                     uint32_t batch_size) {
  job_options stateless;
  stateless.parallelism = 1;
  stateless.batch_size = batch_size;
  stateless.duration = plan.sweep_engine_run;
  auto keyed = stateless;
  keyed.parallelism = 2;
  baseline_options base;
  base.lanes = 1;
  base.batch_size = batch_size;
  base.window = static_cast<uint32_t>(budget_for(batch_size) / batch_size);
  base.duration = plan.sweep_baseline_run;
  sweep_point result;
  for (int i = 0; i < plan.repetitions; ++i) {
    auto s = run_stateless_job(sys, stateless, work);
    if (!s)
      return std::move(s.error());
    result.stateless.push_back(per_second(s->records, s->elapsed));
    result.last_stateless = std::move(*s);
    auto b = run_caf_actor_baseline(sys, base);
    if (!b)
      return std::move(b.error());
    if (auto err = check_caf_actors(*b, work))
      return err;
    result.caf_actors.push_back(per_second(b->received.records, b->elapsed));
    auto k = run_keyed_count_job(sys, keyed, work);
    if (!k)
      return std::move(k.error());
    result.keyed.push_back(per_second(k->records, k->elapsed));
    result.last_keyed = std::move(*k);
  }
  return result;
}

} // namespace

caf::error run_batch_sweep_case(caf::actor_system& sys, const bench_plan& plan,
                                workloads& work) {
  for (auto batch_size : plan.sweep_batch_sizes) {
    auto point = run_point(sys, plan, work, batch_size);
    if (!point)
      return caf::make_error(caf::sec::runtime_error,
                             "batch=" + std::to_string(batch_size) + ": "
                               + protocol::describe(point.error()));
    auto engine = median(point->stateless);
    auto actors = median(point->caf_actors);
    std::printf("bench batch-sweep stateless-p1 batch=%u records=%llu "
                "engine=%.0f records/s caf-actors=%.0f "
                "ratio-vs-caf-actors=%.3f\n",
                batch_size,
                static_cast<unsigned long long>(point->last_stateless.records),
                engine, actors, ratio(engine, actors));
    std::printf("bench batch-sweep keyed-count-p2 batch=%u records=%llu "
                "keys=%llu distinct=%llu engine=%.0f records/s\n",
                batch_size,
                static_cast<unsigned long long>(point->last_keyed.records),
                static_cast<unsigned long long>(work.keys.size()),
                static_cast<unsigned long long>(point->last_keyed.distinct),
                median(point->keyed));
    std::fflush(stdout);
  }
  return caf::none;
}

} // namespace sluice::bench
