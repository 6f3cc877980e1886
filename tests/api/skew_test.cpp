#include "sluice.hpp"
#include "tests/support/actor_system_fixture.hpp"

#include <boost/test/unit_test.hpp>

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <vector>

using namespace sluice;
using sluice::testing::actor_system_fixture;
using sluice::testing::failure_text;

namespace {

/// Keeps the CPU busy for about `t`: a stand-in for per-record work.
void work_for(std::chrono::nanoseconds t) {
  auto until = std::chrono::steady_clock::now() + t;
  while (std::chrono::steady_clock::now() < until) {
  }
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(skew_tests, actor_system_fixture)

BOOST_AUTO_TEST_CASE(a_hot_key_does_not_stop_the_other_partitions) {
  // 90% of the records carry one key. Its instance has nine times the work
  // of the others, yet the cold keys keep flowing while it works: they are
  // not held back until the hot partition is done.
  constexpr uint64_t n = 40000;
  job_builder job{"skew"};
  job.settings().batch_size = 64;
  job.settings().max_buffered_records = 1024;
  std::mutex mtx;
  std::vector<bool> arrivals; // true: hot
  job.source("src", generate(n, 5,
                             [](uint64_t i, uint64_t r) {
                               return i % 10 == 0 ? 1 + r % 40 : uint64_t{0};
                             }))
    .parallelism(2)
    .key_by([](uint64_t key) { return key; })
    .map("work",
         [](uint64_t key) {
           work_for(std::chrono::microseconds(20));
           return key;
         })
    .parallelism(4)
    .for_each("sink", [&](uint64_t key) {
      std::lock_guard<std::mutex> guard{mtx};
      arrivals.push_back(key == 0);
    });
  auto report = job.run(sys);
  BOOST_TEST_REQUIRE(static_cast<bool>(report), failure_text(report));
  BOOST_TEST_REQUIRE(arrivals.size() == n);
  uint64_t hot_total = 0;
  for (auto hot : arrivals)
    hot_total += hot ? 1 : 0;
  uint64_t cold_total = n - hot_total;
  // How far the cold keys had got when the hot key was half done.
  uint64_t hot_seen = 0;
  uint64_t cold_seen = 0;
  for (auto hot : arrivals) {
    if (hot && ++hot_seen == hot_total / 2)
      break;
    if (!hot)
      ++cold_seen;
  }
  auto cold_share = static_cast<double>(cold_seen) / cold_total;
  BOOST_TEST_MESSAGE("cold keys done when the hot key was half done: "
                     << cold_share);
  BOOST_TEST(cold_share > 0.3);
  // Every instance processed records: the cold ones did not starve.
  for (auto& r : report->instances)
    if (r.stage == "work")
      BOOST_TEST(r.records_in > 0u);
}

BOOST_AUTO_TEST_SUITE_END()
