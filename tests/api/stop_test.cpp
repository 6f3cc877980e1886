#include "sluice.hpp"
#include "tests/support/actor_system_fixture.hpp"
#include "tests/support/application_actors.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/temp_dir.hpp"

#include <caf/all.hpp>

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <string>

using namespace sluice;
using namespace std::chrono_literals;
using sluice::testing::actor_system_fixture;
using sluice::testing::consumer_log;
using sluice::testing::egress_consumer;
using sluice::testing::eventually;
using sluice::testing::failure_text;
using sluice::testing::pause_atom;
using sluice::testing::temp_dir;

BOOST_FIXTURE_TEST_SUITE(stop_tests, actor_system_fixture)

BOOST_AUTO_TEST_CASE(a_stopped_job_that_cannot_end_fails_after_its_timeout) {
  // Rule J7: the consumer of an egress stage grants no demand, so the
  // sink can never hand its records over and end, though its final
  // checkpoint completes. Asked to stop, the job must not wait forever: it
  // fails once twice its checkpoint timeout passed since the stop, saying
  // why.
  temp_dir dir;
  auto log = std::make_shared<consumer_log<uint64_t>>();
  auto consumer = sys.spawn(egress_consumer<uint64_t>, uint64_t{1000}, log);
  caf::anon_send(consumer, pause_atom::value);
  job_builder job{"stalled"};
  auto& cp = job.settings().checkpoints;
  cp.store = dir.file("stalled.db");
  cp.timeout = 1s;
  job.source("src", generate(100, 1, [](uint64_t i, uint64_t) { return i; }))
    .egress("out", consumer);
  auto handle = job.start(sys);
  BOOST_TEST_REQUIRE(static_cast<bool>(handle), failure_text(handle));
  // The final checkpoint commits the 100 records; the sink holds them for
  // demand that never comes.
  BOOST_TEST_REQUIRE(
    eventually([&] { return handle->metrics().checkpoints_completed() >= 1; }));
  handle->stop();
  BOOST_TEST_REQUIRE(handle->wait_for(job_timeout));
  auto report = handle->wait();
  if (report)
    BOOST_TEST_MESSAGE("ended with " << report->completed_checkpoints()
                                     << " checkpoints; consumer has "
                                     << log->size() << ", hellos "
                                     << log->hellos);
  BOOST_TEST_REQUIRE(!report);
  auto text = failure_text(report);
  BOOST_TEST(text.find("did not end within 2000 ms (twice the checkpoint "
                       "timeout) of the stop request")
               != std::string::npos,
             text);
  BOOST_TEST(log->size() == 0u);
  caf::anon_send_exit(consumer, caf::exit_reason::user_shutdown);
}

BOOST_AUTO_TEST_CASE(an_end_of_stream_before_the_roster_is_not_lost) {
  // A source with nothing to read ends its stream as soon as its roster
  // arrives, needing no credit; its consumer may not have its own roster
  // yet. The end of stream must wait for it, not be dropped as a stray
  // message, or the sink never ends. Many short jobs of many instances
  // give the race its chances: the runner hands out rosters one by one.
  for (int i = 0; i < 100; ++i) {
    BOOST_TEST_CONTEXT("job " << i) {
      job_builder job{"empty"};
      auto out
        = job
            .source("src",
                    generate(0, 1, [](uint64_t x, uint64_t) { return x; }))
            .parallelism(16)
            .map("pass", [](uint64_t x) { return x; })
            .parallelism(16)
            .collect("out");
      auto handle = job.start(sys);
      BOOST_TEST_REQUIRE(static_cast<bool>(handle), failure_text(handle));
      if (!handle->wait_for(std::chrono::seconds{10})) {
        handle->stop();
        BOOST_FAIL("the job did not end: an end of stream was lost");
      }
      auto report = handle->wait();
      BOOST_TEST_REQUIRE(static_cast<bool>(report), failure_text(report));
      BOOST_TEST(out->size() == 0u);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
