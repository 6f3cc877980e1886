#include "actors/recovery_meter.hpp"

#include <boost/test/unit_test.hpp>

#include <chrono>

using namespace sluice::actors;
using namespace std::chrono_literals;

BOOST_AUTO_TEST_SUITE(recovery_meter_tests)

BOOST_AUTO_TEST_CASE(a_recovery_lasts_from_the_failure_to_the_first_record) {
  recovery_meter m;
  recovery_meter::time_point t0{};
  // R5: nothing awaits a first record before a restart.
  BOOST_TEST(!m.resumed(t0).has_value());
  m.begin(t0, "count", 1, "boom");
  BOOST_TEST(!m.resumed(t0 + 1ms).has_value());
  // The sources had read 900 records; the checkpoint covers 700.
  m.restarting(4, 2048, 3, 900, 700);
  auto stats = m.resumed(t0 + 250ms);
  BOOST_TEST_REQUIRE(stats.has_value());
  BOOST_TEST(stats->failed_stage == "count");
  BOOST_TEST(stats->failed_instance == 1u);
  BOOST_TEST(stats->reason == "boom");
  BOOST_TEST(stats->restored_checkpoint == 4u);
  BOOST_TEST(stats->bytes_read == 2048u);
  BOOST_TEST(stats->instances_restarted == 3u);
  BOOST_TEST(stats->records_replayed == 200u);
  BOOST_TEST(stats->time_to_resume.count()
             == std::chrono::nanoseconds{250ms}.count());
  // Once: later first records of other instances change nothing.
  BOOST_TEST(!m.resumed(t0 + 300ms).has_value());
}

BOOST_AUTO_TEST_CASE(a_checkpoint_ahead_of_what_was_read_replays_nothing) {
  recovery_meter m;
  m.begin({}, "src", 0, "lost");
  m.restarting(0, 0, 1, 10, 50);
  auto stats = m.resumed(recovery_meter::time_point{} + 1s);
  BOOST_TEST_REQUIRE(stats.has_value());
  BOOST_TEST(stats->records_replayed == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
