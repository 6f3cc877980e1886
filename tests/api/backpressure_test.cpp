#include "sluice.hpp"
#include "tests/support/actor_system_fixture.hpp"
#include "tests/support/process_memory.hpp"

#include <boost/test/unit_test.hpp>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

using namespace sluice;
using sluice::testing::actor_system_fixture;
using sluice::testing::failure_text;

namespace {

constexpr uint32_t batch = 64;
constexpr uint64_t budget = 1024;
constexpr size_t record_bytes = 1024;

/// Records of about 1 KiB, so that unbounded buffering would show in the
/// process's memory.
std::string payload(uint64_t i) {
  std::string s(record_bytes, 'x');
  s[0] = static_cast<char>('a' + i % 26);
  return s;
}

/// Seconds a source → map → sink job needs for `n` records with a sink
/// that only counts: the speed the slow sink is compared with.
double fast_run_seconds(caf::actor_system& sys, uint64_t n) {
  job_builder job{"fast"};
  job.settings().batch_size = batch;
  job.settings().max_buffered_records = budget;
  job
    .source("gen",
            generate(n, 1, [](uint64_t i, uint64_t) { return payload(i); }))
    .map("touch", [](const std::string& s) { return s; })
    .for_each("sink", [](const std::string&) {});
  auto started = std::chrono::steady_clock::now();
  auto report = job.run(sys);
  BOOST_TEST_REQUIRE(static_cast<bool>(report), failure_text(report));
  return std::chrono::duration<double>(std::chrono::steady_clock::now()
                                       - started)
    .count();
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(backpressure_tests, actor_system_fixture)

BOOST_AUTO_TEST_CASE(a_slow_sink_bounds_every_backlog_and_the_memory) {
  // Three stages with a budget of 1024 records each: 50 times that flows
  // through, 150 MiB in all, into a sink 100 times slower than the rest.
  constexpr uint64_t total_budget = 3 * budget;
  constexpr uint64_t n = 50 * total_budget;
  // The faster of two runs: the first one also warms up allocator and caches.
  auto fast = std::min(fast_run_seconds(sys, n), fast_run_seconds(sys, n));
  // The slow sink sleeps per batch what 100 times the whole pipeline takes
  // for that many records: at least 100x slower than the source.
  auto per_batch = std::chrono::duration<double>(100.0 * fast * batch / n);
  std::atomic<uint64_t> produced{0};
  std::atomic<uint64_t> consumed{0};
  std::atomic<uint64_t> max_lag{0};
  std::atomic<uint64_t> max_resident{0};
  std::atomic<bool> running{true};
  job_builder job{"slow sink"};
  job.settings().batch_size = batch;
  job.settings().max_buffered_records = budget;
  job
    .source("gen", generate(n, 1,
                            [&produced](uint64_t i, uint64_t) {
                              ++produced;
                              return payload(i);
                            }))
    .map("touch", [](const std::string& s) { return s; })
    .for_each("sink", [&, seen = uint64_t{0}](const std::string&) mutable {
      if (++seen % batch == 0)
        std::this_thread::sleep_for(per_batch);
      ++consumed;
    });
  auto baseline = sluice::testing::resident_bytes();
  std::thread watcher{[&] {
    while (running) {
      auto lag = produced.load() - consumed.load();
      if (lag > max_lag)
        max_lag = lag;
      auto rss = sluice::testing::resident_bytes();
      if (rss > max_resident)
        max_resident = rss;
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  }};
  auto report = job.run(sys);
  running = false;
  watcher.join();
  BOOST_TEST_REQUIRE(static_cast<bool>(report), failure_text(report));
  BOOST_TEST(consumed.load() == n);
  // What each instance observed waiting never exceeded its budget (D4).
  for (auto& r : report->instances) {
    BOOST_TEST_CONTEXT(r.stage << "/" << r.instance) {
      BOOST_TEST(r.max_waiting_records <= r.budget);
    }
  }
  auto& sink = *std::find_if(report->instances.begin(), report->instances.end(),
                             [](auto& r) { return r.stage == "sink"; });
  BOOST_TEST(sink.max_waiting_records > budget / 4); // it did fill up
  // Pressure reached the source: it never ran ahead of the sink by more
  // than what the budgets and the output buffers (a batch or two per
  // channel) hold.
  BOOST_TEST(max_lag.load() <= total_budget + 6 * batch);
  // 150 MiB flowed; the process grew by a small fraction of it.
  auto growth
    = max_resident.load() > baseline ? max_resident.load() - baseline : 0;
  BOOST_TEST_MESSAGE("fast run " << fast << " s, max lag " << max_lag.load()
                                 << " records, memory growth " << growth / 1024
                                 << " KiB");
  BOOST_TEST(growth < 32u * 1024 * 1024);
}

BOOST_AUTO_TEST_SUITE_END()
