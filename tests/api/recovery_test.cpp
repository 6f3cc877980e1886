#include "actors/fault_injector.hpp"
#include "sluice.hpp"
#include "tests/support/actor_system_fixture.hpp"
#include "tests/support/coverage.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/stop_on_exit.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>

using namespace sluice;
using sluice::testing::actor_system_fixture;
using sluice::testing::coverage;
using sluice::testing::eventually;
using sluice::testing::failure_text;
using sluice::testing::stop_on_exit;
using sluice::testing::temp_dir;

namespace {

/// Checkpoints every 20 ms, fast restarts: recovery tests stay short.
void recoverable(job_builder& job, const temp_dir& dir) {
  auto& cp = job.settings().checkpoints;
  cp.store = dir.file("job.db");
  cp.interval = std::chrono::milliseconds(20);
  cp.full_every = 5;
  auto& r = job.settings().restarts;
  r.max_restarts = 100;
  r.initial_backoff = std::chrono::milliseconds(1);
  r.max_backoff = std::chrono::milliseconds(20);
}

using kv = std::pair<uint64_t, uint64_t>;

/// Latest value per key of a changelog.
std::map<uint64_t, uint64_t> latest(const std::vector<kv>& changelog) {
  std::map<uint64_t, uint64_t> result;
  for (auto& [k, v] : changelog)
    result[k] = v;
  return result;
}

/// Waits until `faults` failures happened and the job checkpointed after
/// the last of them: it runs again, with all its instances.
void settle_after_faults(job_handle& handle, uint64_t faults) {
  BOOST_TEST_REQUIRE(
    eventually([&] { return handle.metrics().failures() >= faults; }));
  auto done = handle.metrics().checkpoints().size();
  BOOST_TEST_REQUIRE(eventually([&] {
    auto cs = handle.metrics().checkpoints();
    return std::count_if(cs.begin() + static_cast<std::ptrdiff_t>(done),
                         cs.end(), [](auto& c) { return c.completed; })
           > 0;
  }));
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(recovery_tests, actor_system_fixture)

BOOST_AUTO_TEST_CASE(
  a_stage_that_throws_once_recovers_to_the_faultless_output) {
  temp_dir dir;
  constexpr uint64_t n = 30000;
  static std::atomic<bool> thrown{false};
  thrown = false;
  job_builder job{"throws once"};
  recoverable(job, dir);
  auto spec = generate(n, 1, [](uint64_t i, uint64_t) { return i; });
  spec.rate(60000);
  auto src = job.source("src", spec);
  auto out = src
               .map("flaky",
                    [](uint64_t x) {
                      if (x == 12345 && !thrown.exchange(true))
                        throw std::runtime_error("transient");
                      return x;
                    })
               .collect("out");
  auto counts = src.key_by([](uint64_t x) { return x % 50; })
                  .count("count")
                  .parallelism(2)
                  .collect("counts");
  auto report = job.run(sys);
  BOOST_TEST_REQUIRE(static_cast<bool>(report), failure_text(report));
  BOOST_TEST_REQUIRE(report->recoveries.size() == 1u);
  auto& r = report->recoveries[0];
  BOOST_TEST(r.failed_stage == "flaky");
  BOOST_TEST(r.reason
             == "stage 'flaky' instance 0/1 failed on record 12345: "
                "transient");
  // Exactly the faultless output: every record once, counts exact.
  auto xs = out->records();
  std::sort(xs.begin(), xs.end());
  BOOST_TEST_REQUIRE(xs.size() == n);
  for (uint64_t i = 0; i < n; ++i)
    BOOST_TEST_REQUIRE(xs[i] == i);
  std::map<uint64_t, uint64_t> want;
  for (uint64_t i = 0; i < n; ++i)
    ++want[i % 50];
  BOOST_TEST((latest(counts->records()) == want));
}

BOOST_AUTO_TEST_CASE(twenty_random_failures_keep_exactly_once) {
  // Faults injected per batch anywhere in the job, 20 of them, while an
  // endless job runs; then it stops. Every record read is in the committed
  // output exactly once, and the keyed counts equal the ground truth.
  temp_dir dir;
  job_builder job{"chaos"};
  recoverable(job, dir);
  auto& f = job.settings().faults;
  f.probability = 0.003;
  f.count = 20;
  f.seed = 20261122;
  auto spec = generate(unbounded, 1, [](uint64_t i, uint64_t) { return i; });
  spec.rate(100000);
  auto src = job.source("src", spec).parallelism(2);
  auto out = src.map("pass", [](uint64_t x) { return x; })
               .parallelism(2)
               .collect("out");
  auto counts = src.key_by([](uint64_t x) { return x % 100; })
                  .count("count")
                  .parallelism(2)
                  .collect("counts");
  auto handle = job.start(sys);
  BOOST_TEST_REQUIRE(static_cast<bool>(handle), failure_text(handle));
  stop_on_exit guard{*handle};
  settle_after_faults(*handle, 20);
  handle->stop();
  auto report = handle->wait();
  BOOST_TEST_REQUIRE(static_cast<bool>(report), failure_text(report));
  BOOST_TEST_MESSAGE(handle->metrics().failures()
                     << " failures, " << report->recoveries.size()
                     << " recoveries");
  BOOST_TEST(handle->metrics().failures() >= 20u);
  BOOST_TEST(report->recoveries.size() >= 1u);
  coverage c{out->records()};
  BOOST_TEST(c.duplicates == 0u);
  BOOST_TEST(c.gaps(2) == 0u);
  // Ground truth: counts of exactly the records committed.
  std::map<uint64_t, uint64_t> want;
  for (auto& [x, times] : c.seen)
    ++want[x % 100];
  BOOST_TEST((latest(counts->records()) == want));
}

BOOST_AUTO_TEST_CASE(a_failure_restarts_only_its_own_pipeline) {
  // Forward edges only: each source instance, its map and its sink form a
  // region of their own. A fault in one map restarts that region, three
  // instances of six, and the output is still exact.
  temp_dir dir;
  constexpr uint64_t n = 40000;
  job_builder job{"regions"};
  recoverable(job, dir);
  auto& f = job.settings().faults;
  f.stage = "pass";
  f.after_records = 8000;
  f.count = 1;
  auto spec = generate(n, 1, [](uint64_t i, uint64_t) { return i; });
  spec.rate(100000);
  auto out = job.source("src", spec)
               .parallelism(2)
               .map("pass", [](uint64_t x) { return x; })
               .parallelism(2)
               .collect("out")
               .parallelism(2);
  auto report = job.run(sys);
  BOOST_TEST_REQUIRE(static_cast<bool>(report), failure_text(report));
  BOOST_TEST_REQUIRE(report->recoveries.size() == 1u);
  BOOST_TEST(report->recoveries[0].failed_stage == "pass");
  BOOST_TEST(report->recoveries[0].instances_restarted == 3u);
  auto xs = out->records();
  std::sort(xs.begin(), xs.end());
  BOOST_TEST_REQUIRE(xs.size() == n);
  for (uint64_t i = 0; i < n; ++i)
    BOOST_TEST_REQUIRE(xs[i] == i);
}

BOOST_AUTO_TEST_CASE(at_least_once_loses_nothing_and_reports_duplicates) {
  temp_dir dir;
  job_builder job{"chaos, at least once"};
  recoverable(job, dir);
  job.settings().checkpoints.mode = protocol::checkpoint_mode::at_least_once;
  auto& f = job.settings().faults;
  f.probability = 0.003;
  f.count = 20;
  f.seed = 7;
  auto spec = generate(unbounded, 1, [](uint64_t i, uint64_t) { return i; });
  spec.rate(100000);
  auto a = job.source("a", spec).parallelism(2);
  auto b = job.source("b", generate(unbounded, 2, [](uint64_t i, uint64_t) {
                             return i + (uint64_t{1} << 40);
                           }).rate(50000));
  auto out = a.union_with("merge", b).parallelism(2).rebalance().collect("out");
  auto handle = job.start(sys);
  BOOST_TEST_REQUIRE(static_cast<bool>(handle), failure_text(handle));
  stop_on_exit guard{*handle};
  settle_after_faults(*handle, 20);
  handle->stop();
  auto report = handle->wait();
  BOOST_TEST_REQUIRE(static_cast<bool>(report), failure_text(report));
  std::vector<uint64_t> from_a;
  std::vector<uint64_t> from_b;
  for (auto x : out->records())
    (x < (uint64_t{1} << 40) ? from_a : from_b).push_back(x);
  coverage ca{from_a};
  BOOST_TEST(ca.gaps(2) == 0u); // nothing lost
  for (auto& x : from_b)
    x -= uint64_t{1} << 40;
  coverage cb{from_b};
  BOOST_TEST(cb.gaps(1) == 0u);
  BOOST_TEST_MESSAGE("at-least-once: "
                     << report->recoveries.size() << " recoveries, "
                     << ca.duplicates + cb.duplicates << " duplicate records");
  uint64_t replayed = 0;
  for (auto& r : report->recoveries)
    replayed += r.records_replayed;
  // Duplicates can only come from records read again.
  BOOST_TEST(ca.duplicates + cb.duplicates <= replayed);
}

BOOST_AUTO_TEST_CASE(replay_is_bounded_by_the_records_since_the_checkpoint) {
  // One failure, after a checkpoint taken on request and records read
  // after it; the generator counts how often it made each index. What it
  // made twice is the replay, and the recovery metrics must say so; it is
  // what was read after the restored checkpoint.
  temp_dir dir;
  static std::mutex mtx;
  static std::map<uint64_t, int> made;
  made.clear();
  job_builder job{"replay"};
  recoverable(job, dir);
  // Checkpoints on request only: the one restored is the one the test took.
  job.settings().checkpoints.interval = std::chrono::nanoseconds{0};
  auto armed = std::make_shared<std::atomic<bool>>(false);
  auto spec = generate(unbounded, 1, [](uint64_t i, uint64_t) {
    std::lock_guard<std::mutex> guard{mtx};
    ++made[i];
    return i;
  });
  spec.rate(100000);
  auto out = job.source("src", spec)
               .map("trip",
                    [armed](uint64_t x) {
                      if (armed->exchange(false))
                        throw std::runtime_error("tripped");
                      return x;
                    })
               .collect("sink");
  auto handle = job.start(sys);
  BOOST_TEST_REQUIRE(static_cast<bool>(handle), failure_text(handle));
  stop_on_exit stops_handle{*handle};
  auto read = [&] {
    return handle->metrics().sum("src", &actors::instance_metrics::records_in);
  };
  BOOST_TEST_REQUIRE(eventually([&] { return read() > 1000; }));
  auto taken = handle->checkpoint();
  BOOST_TEST_REQUIRE(static_cast<bool>(taken), failure_text(taken));
  // The checkpoint's offset is at most what the source had read when it
  // completed: reading on past that, there is something to replay.
  auto read_by_then = read();
  BOOST_TEST_REQUIRE(eventually([&] { return read() > read_by_then; }));
  *armed = true;
  BOOST_TEST_REQUIRE(
    eventually([&] { return !handle->metrics().recoveries().empty(); }));
  // Stopped once the source read again what the recovery says it replays.
  auto replayed = handle->metrics().recoveries().front().records_replayed;
  BOOST_TEST_REQUIRE(eventually([&] {
    std::lock_guard<std::mutex> guard{mtx};
    auto twice = std::count_if(made.begin(), made.end(),
                               [](auto& x) { return x.second > 1; });
    return static_cast<uint64_t>(twice) >= replayed;
  }));
  handle->stop();
  auto report = handle->wait();
  BOOST_TEST_REQUIRE(static_cast<bool>(report), failure_text(report));
  BOOST_TEST_REQUIRE(report->recoveries.size() == 1u);
  auto& r = report->recoveries[0];
  uint64_t made_twice = 0;
  uint64_t first_again = ~uint64_t{0};
  uint64_t last_before = 0;
  {
    std::lock_guard<std::mutex> guard{mtx};
    for (auto& [i, times] : made)
      if (times > 1) {
        ++made_twice;
        first_again = std::min(first_again, i);
        last_before = std::max(last_before, i);
      }
  }
  BOOST_TEST(r.failed_stage == "trip");
  BOOST_TEST(r.restored_checkpoint == *taken);
  BOOST_TEST_REQUIRE(made_twice > 0u);
  BOOST_TEST(r.records_replayed == made_twice);
  // Replayed: from the restored checkpoint's offset to where reading was
  // at the failure; nothing before that offset.
  BOOST_TEST(made_twice == last_before - first_again + 1);
  BOOST_TEST(r.time_to_resume.count() > 0);
  BOOST_TEST(r.bytes_read > 0u);
  // Every record read reached the sink, once.
  uint64_t offset = 0;
  for (auto& x : report->instances)
    if (x.stage == "src")
      offset += x.offset;
  auto xs = out->records();
  std::sort(xs.begin(), xs.end());
  BOOST_TEST_REQUIRE(xs.size() == offset);
  for (uint64_t i = 0; i < xs.size(); ++i)
    BOOST_TEST_REQUIRE(xs[i] == i);
}

BOOST_AUTO_TEST_CASE(a_stage_failing_on_every_record_stops_after_max_restarts) {
  temp_dir dir;
  job_builder job{"hopeless"};
  recoverable(job, dir);
  job.settings().restarts.max_restarts = 3;
  job.source("src", generate(100, 1, [](uint64_t i, uint64_t) { return i; }))
    .map("bad",
         [](uint64_t x) -> uint64_t {
           throw std::runtime_error("always " + std::to_string(x));
         })
    .collect("out");
  auto report = job.run(sys);
  BOOST_TEST_REQUIRE(!report);
  BOOST_TEST(describe(report.error())
             == "stage 'bad' instance 0/1 failed after 3 restarts within 60 s; "
                "the last error: stage 'bad' instance 0/1 failed on record 0: "
                "always 0");
}

BOOST_AUTO_TEST_CASE(faults_at_every_checkpoint_phase_keep_exactly_once) {
  using sluice::config::checkpoint_phase;
  for (auto phase :
       {checkpoint_phase::before_snapshot, checkpoint_phase::after_snapshot,
        checkpoint_phase::before_commit, checkpoint_phase::after_commit}) {
    BOOST_TEST_CONTEXT(phase) {
      temp_dir dir;
      job_builder job{"phases"};
      recoverable(job, dir);
      job.settings().faults.phase = phase;
      job.settings().faults.stage = "out";
      job.settings().faults.count = 3;
      // Reads until the three faults happened and a checkpoint followed,
      // however long checkpoints take.
      auto spec
        = generate(unbounded, 1, [](uint64_t i, uint64_t) { return i; });
      spec.rate(50000);
      job.source("src", spec)
        .map("pass", [](uint64_t x) { return x; })
        .commit_files("out", dir.file("out"));
      auto handle = job.start(sys);
      BOOST_TEST_REQUIRE(static_cast<bool>(handle), failure_text(handle));
      stop_on_exit guard{*handle};
      settle_after_faults(*handle, 3);
      handle->stop();
      auto report = handle->wait();
      BOOST_TEST_REQUIRE(static_cast<bool>(report), failure_text(report));
      BOOST_TEST(handle->metrics().failures() == 3u);
      BOOST_TEST(report->recoveries.size() == 3u);
      uint64_t read = 0;
      for (auto& r : report->instances)
        if (r.stage == "src")
          read += r.offset;
      std::vector<uint64_t> xs;
      for (auto& entry : std::filesystem::directory_iterator(dir.file("out"))) {
        if (entry.is_directory())
          continue;
        std::ifstream in{entry.path()};
        for (uint64_t x; in >> x;)
          xs.push_back(x);
      }
      coverage c{xs};
      BOOST_TEST(xs.size() == read);
      BOOST_TEST(c.duplicates == 0u);
      BOOST_TEST(c.gaps(1) == 0u);
    }
  }
}

BOOST_AUTO_TEST_CASE(the_same_seed_makes_the_same_decisions) {
  sluice::config::fault_settings f;
  f.probability = 0.1;
  f.count = 1000;
  f.seed = 99;
  auto decisions = [&](uint64_t seed, uint32_t attempt) {
    f.seed = seed;
    auto budget = std::make_shared<std::atomic<uint32_t>>(1000);
    actors::fault_injector x{f, budget, "stage", 0, attempt};
    std::vector<bool> result;
    for (int i = 0; i < 200; ++i)
      result.push_back(x.after_batch(10).has_value());
    return result;
  };
  BOOST_TEST((decisions(99, 0) == decisions(99, 0)));
  BOOST_TEST((decisions(99, 0) != decisions(100, 0)));
  BOOST_TEST((decisions(99, 0) != decisions(99, 1))); // a restart differs
  auto fired = decisions(99, 0);
  auto n = std::count(fired.begin(), fired.end(), true);
  BOOST_TEST(n > 5);
  BOOST_TEST(n < 40);
}

BOOST_AUTO_TEST_SUITE_END()
