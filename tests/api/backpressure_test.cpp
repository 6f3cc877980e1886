#include "sluice.hpp"
#include "tests/support/actor_system_fixture.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/gate.hpp"
#include "tests/support/process_memory.hpp"
#include "tests/support/saturation.hpp"
#include "tests/support/stop_on_exit.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <string>
#include <thread>

using namespace sluice;
using sluice::testing::actor_system_fixture;
using sluice::testing::eventually;
using sluice::testing::failure_text;
using sluice::testing::open_turnstile_on_exit;
using sluice::testing::saturated;
using sluice::testing::stop_on_exit;
using sluice::testing::turnstile;

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

/// Samples, every 2 ms until stopped, how far the source ran ahead of the
/// sink and the process's resident memory; keeps the largest of each.
class lag_watcher {
public:
  lag_watcher(const std::atomic<uint64_t>& produced,
              const std::atomic<uint64_t>& consumed)
      : thread_([this, &produced, &consumed] {
          while (running_) {
            auto lag = produced.load() - consumed.load();
            if (lag > max_lag_)
              max_lag_ = lag;
            auto rss = sluice::testing::resident_bytes();
            if (rss > max_resident_)
              max_resident_ = rss;
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
          }
        }) {}

  lag_watcher(const lag_watcher&) = delete;
  lag_watcher& operator=(const lag_watcher&) = delete;

  ~lag_watcher() { stop(); }

  void stop() {
    running_ = false;
    if (thread_.joinable())
      thread_.join();
  }

  uint64_t max_lag() const { return max_lag_.load(); }

  uint64_t max_resident() const { return max_resident_.load(); }

private:
  std::atomic<bool> running_{true};
  std::atomic<uint64_t> max_lag_{0};
  std::atomic<uint64_t> max_resident_{0};
  std::thread thread_; ///< Last: starts once the figures exist.
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(backpressure_tests, actor_system_fixture)

BOOST_AUTO_TEST_CASE(a_slow_sink_bounds_every_backlog_and_the_memory) {
  // Three stages with a budget of 1024 records each: 50 times that flows
  // through, 150 MiB in all, into a sink that stops every 8192 records
  // and goes on only once the pressure reached the source. The job fills
  // up behind it 17 times.
  constexpr uint64_t total_budget = 3 * budget;
  constexpr uint64_t n = 50 * total_budget;
  constexpr uint64_t every = 8 * budget;
  // Each stop leaves more records to come than the job holds.
  constexpr uint64_t stops = n / every - 1;
  static_assert(n - stops * every > 2 * total_budget);
  turnstile sink_stops;
  std::atomic<uint64_t> produced{0};
  std::atomic<uint64_t> consumed{0};
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
      if (seen > 0 && seen % every == 0 && seen / every <= stops)
        sink_stops.pass();
      ++seen;
      ++consumed;
    });
  auto baseline = sluice::testing::resident_bytes();
  lag_watcher watcher{produced, consumed};
  auto handle = job.start(sys);
  BOOST_TEST_REQUIRE(static_cast<bool>(handle), failure_text(handle));
  stop_on_exit stops_handle{*handle};
  open_turnstile_on_exit lets_the_sink_go{sink_stops};
  for (uint64_t k = 1; k <= stops; ++k) {
    BOOST_TEST_CONTEXT("stop " << k) {
      BOOST_TEST_REQUIRE(sink_stops.wait_for_arrival(k, job_timeout));
      // While the sink stands still, the pressure travels up: the map and
      // then the source stop (D4).
      BOOST_TEST_REQUIRE(eventually(
        [&] {
          return saturated(*handle, "touch") && saturated(*handle, "gen");
        },
        job_timeout));
      sink_stops.let_one_pass();
    }
  }
  auto report = handle->wait();
  watcher.stop();
  BOOST_TEST_REQUIRE(static_cast<bool>(report), failure_text(report));
  BOOST_TEST(consumed.load() == n);
  // What each instance observed waiting never exceeded its budget (D4).
  for (auto& r : report->instances) {
    BOOST_TEST_CONTEXT(r.stage << "/" << r.instance) {
      BOOST_TEST(r.max_waiting_records <= r.budget);
    }
  }
  // While it stood still, what the map shipped on its credit waited for it:
  // at least the half of its share that the credit ledger keeps granted
  // (D2), less the batch it stood in.
  auto& sink = *std::find_if(report->instances.begin(), report->instances.end(),
                             [](auto& r) { return r.stage == "sink"; });
  BOOST_TEST(sink.max_waiting_records > budget / 4);
  // The source never ran ahead of the sink by more than what the budgets
  // and the output buffers (a batch or two per channel) hold.
  BOOST_TEST(watcher.max_lag() <= total_budget + 6 * batch);
  // 150 MiB flowed; the process grew by a small fraction of it.
  auto growth
    = watcher.max_resident() > baseline ? watcher.max_resident() - baseline : 0;
  BOOST_TEST_MESSAGE("max lag " << watcher.max_lag()
                                << " records, memory growth " << growth / 1024
                                << " KiB");
  if (sluice::testing::resident_set_measures_the_engine)
    BOOST_TEST(growth < 32u * 1024 * 1024);
  else
    BOOST_TEST_MESSAGE("memory growth not checked: AddressSanitizer keeps "
                       "freed memory in quarantine");
}

BOOST_AUTO_TEST_SUITE_END()
