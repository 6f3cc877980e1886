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

BOOST_AUTO_TEST_SUITE_END()
