#include "sluice.hpp"
#include "tests/support/actor_system_fixture.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <thread>

using namespace sluice;
using sluice::testing::actor_system_fixture;
using sluice::testing::failure_text;
using sluice::testing::temp_dir;

BOOST_FIXTURE_TEST_SUITE(lifecycle_tests, actor_system_fixture)

BOOST_AUTO_TEST_CASE(stopping_an_unbounded_job_drains_what_was_read) {
  job_builder job{"endless"};
  auto out = job.source("src", generate(unbounded, 1,
                                        [](uint64_t i, uint64_t) { return i; }))
               .parallelism(2)
               .map("inc", [](uint64_t x) { return x + 1; })
               .parallelism(2)
               .rebalance()
               .collect("sink");
  auto handle = job.start(sys);
  BOOST_TEST_REQUIRE(static_cast<bool>(handle), failure_text(handle));
  // Wait (bounded) until records flow, then stop.
  auto deadline = std::chrono::steady_clock::now() + job_timeout;
  while (out->size() < 100000 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  BOOST_TEST_REQUIRE(out->size() >= 100000u);
  handle->stop();
  BOOST_TEST_REQUIRE(handle->wait_for(job_timeout));
  auto report = handle->wait();
  BOOST_TEST_REQUIRE(static_cast<bool>(report), failure_text(report));
  // Nothing read was lost in flight: the sink got every record the sources
  // produced, each once.
  auto produced = report->records_out("src");
  BOOST_TEST(out->size() == produced);
  std::vector<uint64_t> all = out->records();
  std::sort(all.begin(), all.end());
  BOOST_TEST((std::adjacent_find(all.begin(), all.end()) == all.end()));
  // Each source instance's offset is the number of records it produced.
  uint64_t offsets = 0;
  for (auto& r : report->instances)
    if (r.stage == "src")
      offsets += r.offset;
  BOOST_TEST(offsets == produced);
}

BOOST_AUTO_TEST_CASE(an_unreadable_input_fails_the_job_naming_the_file) {
  temp_dir dir;
  job_builder job{"missing"};
  job.source("lines", file_lines{dir.file("absent.txt")}).collect("out");
  auto report = job.run(sys);
  BOOST_TEST_REQUIRE(!static_cast<bool>(report));
  auto text = describe(report.error());
  BOOST_TEST(text.find("stage 'lines' instance 0/1 could not start: cannot "
                       "open '")
               == 0u,
             text);
  BOOST_TEST(text.find("absent.txt") != std::string::npos, text);
}

BOOST_AUTO_TEST_CASE(a_job_with_low_rate_delivers_partial_batches) {
  // 20 records at 200/s never fill a batch of 1024: the linger ships them.
  job_builder job{"trickle"};
  auto spec = generate(20, 1, [](uint64_t i, uint64_t) { return i; });
  spec.rate(200);
  auto out = job.source("src", spec).collect("sink");
  auto report = job.run(sys);
  BOOST_TEST_REQUIRE(static_cast<bool>(report), failure_text(report));
  BOOST_TEST(out->size() == 20u);
  BOOST_TEST(report->elapsed.count() >= 90'000'000);
}

BOOST_AUTO_TEST_SUITE_END()
