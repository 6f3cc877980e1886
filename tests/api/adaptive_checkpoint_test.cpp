#include "sluice.hpp"
#include "tests/support/actor_system_fixture.hpp"
#include "tests/support/coverage.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/stop_on_exit.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <chrono>
#include <thread>

using namespace sluice;
using sluice::testing::actor_system_fixture;
using sluice::testing::coverage;
using sluice::testing::eventually;
using sluice::testing::failure_text;
using sluice::testing::stop_on_exit;
using sluice::testing::temp_dir;

namespace {

/// Records read again after a failure at most, over both sources.
constexpr uint64_t replay_bound = 20'000;

/// Below this index the generator makes records slowly (a pause every 64
/// records, about 20'000 records/s per instance); above it at its rate
/// cap, ten times that.
constexpr uint64_t step_at = 60'000;

uint64_t make_slow_then_fast(uint64_t i, uint64_t) {
  if (i < step_at && i % 64 == 0)
    std::this_thread::sleep_for(std::chrono::milliseconds(3));
  return i;
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(adaptive_checkpoint_tests, actor_system_fixture)

BOOST_AUTO_TEST_CASE(replay_stays_within_the_bound_as_the_input_rate_steps_up) {
  // Two sources whose rate steps up tenfold; faults injected per batch at
  // random points anywhere in the job. Every recovery replays at most
  // `max-replay-records` (no slack: each source pulls at most what its
  // share leaves, CI8), and the committed output holds each record once.
  temp_dir dir;
  job_builder job{"adaptive"};
  auto& cp = job.settings().checkpoints;
  cp.store = dir.file("job.db");
  cp.full_every = 5;
  cp.targets.max_replay_records = replay_bound;
  cp.targets.max_overhead = 0.2;
  cp.targets.min_interval = std::chrono::milliseconds(10);
  cp.targets.max_interval = std::chrono::seconds(2);
  auto& r = job.settings().restarts;
  r.max_restarts = 100;
  r.initial_backoff = std::chrono::milliseconds(1);
  r.max_backoff = std::chrono::milliseconds(20);
  auto& f = job.settings().faults;
  f.probability = 0.002;
  f.count = 12;
  f.seed = 20261208;
  auto spec = generate(unbounded, 1, make_slow_then_fast);
  spec.rate(400'000);
  auto out = job.source("src", spec)
               .parallelism(2)
               .map("pass", [](uint64_t x) { return x; })
               .parallelism(2)
               .collect("out");
  auto handle = job.start(sys);
  BOOST_TEST_REQUIRE(static_cast<bool>(handle), failure_text(handle));
  stop_on_exit guard{*handle};
  auto read = [&] {
    return handle->metrics().sum("src", &actors::instance_metrics::records_in);
  };
  // Past the step, with every fault injected and a checkpoint after them.
  BOOST_TEST_REQUIRE(eventually([&] { return read() > 4 * step_at; }));
  BOOST_TEST_REQUIRE(
    eventually([&] { return handle->metrics().failures() >= f.count; }));
  auto done = handle->metrics().checkpoints_completed();
  BOOST_TEST_REQUIRE(eventually(
    [&] { return handle->metrics().checkpoints_completed() > done; }));
  auto interval = handle->metrics().checkpoint_interval();
  handle->stop();
  auto report = handle->wait();
  BOOST_TEST_REQUIRE(static_cast<bool>(report), failure_text(report));
  uint64_t most_replayed = 0;
  for (auto& rec : report->recoveries)
    most_replayed = std::max(most_replayed, rec.records_replayed);
  BOOST_TEST_MESSAGE(
    handle->metrics().failures()
    << " failures, " << report->recoveries.size() << " recoveries (at most "
    << most_replayed << " records replayed), " << interval.changes
    << " interval changes, " << interval.source_holds << " holds; interval "
    << interval.interval.count() / 1'000'000 << " ms (" << interval.reason
    << ")");
  BOOST_TEST(interval.reason != "fixed");
  BOOST_TEST(interval.changes > 0u);
  BOOST_TEST_REQUIRE(report->recoveries.size() >= 1u);
  for (auto& rec : report->recoveries)
    BOOST_TEST_CONTEXT("recovery from " << rec.reason) {
      BOOST_TEST(rec.records_replayed <= replay_bound);
    }
  // Exactly once: every record up to the final checkpoint, once.
  coverage c{out->records()};
  BOOST_TEST(c.duplicates == 0u);
  BOOST_TEST(c.gaps(2) == 0u);
  uint64_t offset = 0;
  for (auto& x : report->instances)
    if (x.stage == "src")
      offset += x.offset;
  BOOST_TEST(out->records().size() == offset);
}

BOOST_AUTO_TEST_SUITE_END()
