#include "sluice.hpp"
#include "tests/support/actor_system_fixture.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/gate.hpp"
#include "tests/support/stop_on_exit.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <numeric>
#include <thread>
#include <vector>

using namespace sluice;
using sluice::testing::actor_system_fixture;
using sluice::testing::eventually;
using sluice::testing::failure_text;
using sluice::testing::gate;
using sluice::testing::open_on_exit;
using sluice::testing::stop_on_exit;
using sluice::testing::temp_dir;

BOOST_FIXTURE_TEST_SUITE(lifecycle_tests, actor_system_fixture)

BOOST_AUTO_TEST_CASE(stopping_an_unbounded_job_drains_what_was_read) {
  job_builder job{"endless"};
  auto out = job
               .source("src", generate(unbounded, 1,
                                       [](uint64_t i, uint64_t) { return i; }))
               .parallelism(2)
               .map("inc", [](uint64_t x) { return x + 1; })
               .parallelism(2)
               .rebalance()
               .collect("sink");
  auto handle = job.start(sys);
  BOOST_TEST_REQUIRE(static_cast<bool>(handle), failure_text(handle));
  stop_on_exit stops_handle{*handle};
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
  // 20 records at 200/s never fill a batch of 1024. The source's first
  // pull is always throttled (nothing is due yet), so it reads them over
  // later pulls, and every one arrives, once and in order.
  job_builder job{"trickle"};
  auto spec = generate(20, 1, [](uint64_t i, uint64_t) { return i; });
  spec.rate(200);
  auto out = job.source("src", spec).collect("sink");
  auto report = job.run(sys);
  BOOST_TEST_REQUIRE(static_cast<bool>(report), failure_text(report));
  std::vector<uint64_t> want(20);
  std::iota(want.begin(), want.end(), uint64_t{0});
  BOOST_TEST(out->records() == want, boost::test_tools::per_element());
  BOOST_TEST(report->records_out("src") == 20u);
}

BOOST_AUTO_TEST_CASE(a_partial_batch_leaves_when_its_linger_expires) {
  // Rule D3. An endless source thinned by a filter to five records: the
  // filter's output never fills a batch of 1024 and its input never ends,
  // so only the linger can ship the five while the job runs. (The source's
  // own hop may fill batches; the filter's cannot.)
  job_builder job{"linger"};
  job.settings().latency_interval = std::chrono::nanoseconds{0};
  auto spec = generate(unbounded, 1, [](uint64_t i, uint64_t) { return i; });
  spec.rate(1000);
  auto out = job.source("src", spec)
               .filter("first-five", [](uint64_t x) { return x < 5; })
               .collect("sink");
  auto handle = job.start(sys);
  BOOST_TEST_REQUIRE(static_cast<bool>(handle), failure_text(handle));
  stop_on_exit stops_handle{*handle};
  BOOST_TEST_REQUIRE(eventually([&] { return out->size() >= 5; }));
  BOOST_TEST_REQUIRE(out->size() == 5u);
  BOOST_TEST(out->records() == (std::vector<uint64_t>{0, 1, 2, 3, 4}),
             boost::test_tools::per_element());
  // Still running: no end of input flushed them.
  BOOST_TEST(!handle->done());
  handle->stop();
  BOOST_TEST_REQUIRE(handle->wait_for(job_timeout));
  auto report = handle->wait();
  BOOST_TEST_REQUIRE(static_cast<bool>(report), failure_text(report));
  BOOST_TEST(out->size() == 5u);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(latency_tests, actor_system_fixture)

BOOST_AUTO_TEST_CASE(latency_markers_measure_the_time_to_the_sink) {
  // A stage the test holds stuck: markers the source emits meanwhile queue
  // behind the records in front of it (D9), so the age the sink records for
  // them covers the time it was held after they were emitted.
  job_builder job{"latency"};
  job.settings().latency_interval = std::chrono::milliseconds(5);
  job.settings().batch_size = 64;
  job.settings().max_buffered_records = 2048;
  gate stuck;
  job.source("src", generate(4000, 1, [](uint64_t i, uint64_t) { return i; }))
    .map("slow",
         [&stuck](uint64_t x) {
           if (x == 100)
             stuck.pass();
           return x;
         })
    .for_each("sink", [](uint64_t) {});
  auto handle = job.start(sys);
  BOOST_TEST_REQUIRE(static_cast<bool>(handle), failure_text(handle));
  stop_on_exit stops_handle{*handle};
  open_on_exit lets_it_go{stuck};
  auto& src = *handle->metrics().instances().front();
  BOOST_TEST_REQUIRE(src.stage == "src");
  BOOST_TEST_REQUIRE(stuck.wait_for_arrival(job_timeout));
  // A marker counted after this read left the source after record 100,
  // which the stuck stage holds: it is behind it.
  auto before = src.markers.load();
  BOOST_TEST_REQUIRE(eventually([&] { return src.markers.load() > before; }));
  auto emitted_by = std::chrono::system_clock::now();
  // Held for two more of the source's marker intervals.
  BOOST_TEST_REQUIRE(
    eventually([&] { return src.markers.load() > before + 2; }));
  auto held = std::chrono::system_clock::now() - emitted_by;
  stuck.open();
  auto report = handle->wait();
  BOOST_TEST_REQUIRE(static_cast<bool>(report), failure_text(report));
  auto& latency = handle->metrics().latency();
  BOOST_TEST_MESSAGE("markers " << latency.count() << ", held "
                                << held.count() / 1000 << " us, max "
                                << latency.percentile(1.0).count() / 1000
                                << " us");
  // Every marker emitted reached the sink.
  BOOST_TEST(latency.count() == src.markers.load());
  BOOST_TEST(latency.count() > before + 2);
  // One of them waited at least while the stage was held. (Percentiles are
  // their bucket's upper bound: never below the true value.)
  BOOST_TEST((latency.percentile(1.0) >= held));
}

BOOST_AUTO_TEST_CASE(no_markers_when_latency_is_off) {
  job_builder job{"no latency"};
  job.settings().latency_interval = std::chrono::nanoseconds{0};
  auto spec = generate(2000, 1, [](uint64_t i, uint64_t) { return i; });
  spec.rate(20000);
  job.source("src", spec).for_each("sink", [](uint64_t) {});
  auto handle = job.start(sys);
  BOOST_TEST_REQUIRE(static_cast<bool>(handle), failure_text(handle));
  stop_on_exit stops_handle{*handle};
  BOOST_TEST(static_cast<bool>(handle->wait()));
  BOOST_TEST(handle->metrics().latency().count() == 0u);
  BOOST_TEST(handle->metrics().instances().front()->markers.load() == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
