#include "protocol/end_of_job.hpp"

#include <boost/test/unit_test.hpp>

#include <optional>
#include <utility>
#include <vector>

using namespace sluice::protocol;

namespace {

using sources = std::vector<std::pair<uint32_t, uint32_t>>;

/// Two sources of two pipelines, as in a job with two regions.
const sources two = {{0, 0}, {1, 0}};

source_incarnation src(uint32_t stage, uint32_t incarnation = 0) {
  return {stage, 0, incarnation};
}

} // namespace

BOOST_AUTO_TEST_SUITE(end_of_job_tests)

BOOST_AUTO_TEST_CASE(the_final_is_due_once_every_source_finished_and_all_idle) {
  end_of_job e{two, 0};
  BOOST_TEST(e.accepts_checkpoints());
  // J1: one finished source is not the end; a repeated report changes
  // nothing.
  BOOST_TEST(!e.on_source_finished(src(0)));
  BOOST_TEST(!e.on_source_finished(src(0)));
  BOOST_TEST(e.phase() == job_end_phase::collecting);
  BOOST_TEST(!e.final_due(0));
  BOOST_TEST(e.on_source_finished(src(1)));
  BOOST_TEST(e.phase() == job_end_phase::wanted);
  // J6: no other checkpoint starts from now on.
  BOOST_TEST(!e.accepts_checkpoints());
  // J2: not while another checkpoint is in flight: its abort would take
  // a delta final along through the chain.
  BOOST_TEST(!e.final_due(1));
  BOOST_TEST(e.final_due(0));
  e.on_final_started(checkpoint_id{7});
  BOOST_TEST(e.phase() == job_end_phase::started);
  BOOST_TEST(!e.final_due(0));
  // J3: another checkpoint's completion is not the end.
  BOOST_TEST(!e.on_completed(checkpoint_id{6}));
  BOOST_TEST(e.on_completed(checkpoint_id{7}));
  BOOST_TEST(e.phase() == job_end_phase::completed);
}

BOOST_AUTO_TEST_CASE(a_stale_incarnation_does_not_count_as_finished) {
  end_of_job e{two, 0};
  BOOST_TEST(!e.on_source_finished(src(0)));
  BOOST_TEST(e.on_failover() == final_at_failover::none);
  e.on_restarted({{0, 0}}, 1, std::nullopt);
  BOOST_TEST(e.finished() == 0u);
  // J1: the report of incarnation 0, sent before it was stopped, arrives
  // after its successor started.
  BOOST_TEST(!e.on_source_finished(src(1)));
  BOOST_TEST(!e.on_source_finished(src(0, 0)));
  BOOST_TEST(e.phase() == job_end_phase::collecting);
  BOOST_TEST(e.on_source_finished(src(0, 1)));
}

BOOST_AUTO_TEST_CASE(a_failure_during_the_final_forgets_every_source) {
  // Bug: only the failed region's sources were forgotten; the first
  // restarted source to finish completed the set, and the final trigger
  // cut the other pipeline short.
  end_of_job e{two, 0};
  static_cast<void>(e.on_source_finished(src(0)));
  static_cast<void>(e.on_source_finished(src(1)));
  e.on_final_started(checkpoint_id{1});
  // J4: every region goes back.
  BOOST_TEST(e.on_failover() == final_at_failover::in_flight);
  BOOST_TEST(e.phase() == job_end_phase::collecting);
  BOOST_TEST(e.paused());
  // J5: the final's abort under a failover does not fail the job.
  BOOST_TEST(!e.on_aborted(checkpoint_id{1}));
  e.on_restarted(two, 1, std::nullopt);
  BOOST_TEST(!e.on_source_finished(src(0, 1)));
  BOOST_TEST(!e.final_due(0));
  BOOST_TEST(e.on_source_finished(src(1, 1)));
  BOOST_TEST(e.final_due(0));
}

BOOST_AUTO_TEST_CASE(a_failure_while_the_final_is_wanted_reopens_collecting) {
  end_of_job e{two, 0};
  static_cast<void>(e.on_source_finished(src(0)));
  static_cast<void>(e.on_source_finished(src(1)));
  BOOST_TEST(e.on_failover() == final_at_failover::none);
  // J2: no final while paused.
  BOOST_TEST(!e.final_due(0));
  e.on_restarted({{1, 0}}, 1, checkpoint_id{3});
  // J4: the other region's source stays finished.
  BOOST_TEST(e.finished() == 1u);
  BOOST_TEST(e.phase() == job_end_phase::collecting);
  BOOST_TEST(e.accepts_checkpoints());
  BOOST_TEST(e.on_source_finished(src(1, 1)));
}

BOOST_AUTO_TEST_CASE(regions_added_during_a_failover_are_all_forgotten) {
  // A second region fails during the backoff, or a restore skips a damaged
  // checkpoint: the runner restarts more sources than it first announced.
  end_of_job e{two, 0};
  static_cast<void>(e.on_source_finished(src(0)));
  static_cast<void>(e.on_source_finished(src(1)));
  BOOST_TEST(e.on_failover() == final_at_failover::none);
  e.on_restarted(two, 1, std::nullopt);
  BOOST_TEST(e.finished() == 0u);
  BOOST_TEST(!e.on_source_finished(src(0, 1)));
}

BOOST_AUTO_TEST_CASE(a_report_during_the_failover_is_taken_back_by_restart) {
  // Found by the random test: a source of the failing region finished
  // before the stop reached it, completing the set; its restart must undo
  // that, or the final starts while its successor reads.
  end_of_job e{two, 0};
  static_cast<void>(e.on_source_finished(src(0)));
  BOOST_TEST(e.on_failover() == final_at_failover::none);
  BOOST_TEST(e.on_source_finished(src(1)));
  BOOST_TEST(e.phase() == job_end_phase::wanted);
  BOOST_TEST(!e.final_due(0)); // J2: paused
  e.on_restarted({{1, 0}}, 1, std::nullopt);
  BOOST_TEST(e.phase() == job_end_phase::collecting);
  BOOST_TEST(!e.final_due(0));
  BOOST_TEST(e.on_source_finished(src(1, 1)));
  BOOST_TEST(e.final_due(0));
}

BOOST_AUTO_TEST_CASE(a_failure_after_the_final_completed_keeps_the_end) {
  // Bug: the restarted sources waited for a final trigger that never came.
  end_of_job e{two, 0};
  static_cast<void>(e.on_source_finished(src(0)));
  static_cast<void>(e.on_source_finished(src(1)));
  e.on_final_started(checkpoint_id{4});
  BOOST_TEST(e.on_completed(checkpoint_id{4}));
  // J4: the failed regions come back from the final checkpoint and end
  // (L6); nothing more is wanted.
  BOOST_TEST(e.on_failover() == final_at_failover::completed);
  e.on_restarted({{0, 0}}, 1, checkpoint_id{4});
  BOOST_TEST(e.phase() == job_end_phase::completed);
  BOOST_TEST(!e.final_due(0));
  BOOST_TEST(!e.on_source_finished(src(0, 1)));
}

BOOST_AUTO_TEST_CASE(a_restore_before_the_completed_final_reopens_the_end) {
  end_of_job e{two, 0};
  static_cast<void>(e.on_source_finished(src(0)));
  static_cast<void>(e.on_source_finished(src(1)));
  e.on_final_started(checkpoint_id{4});
  BOOST_TEST(e.on_completed(checkpoint_id{4}));
  BOOST_TEST(e.on_failover() == final_at_failover::completed);
  // J4: the final checkpoint was damaged; every region went back to 3.
  e.on_restarted(two, 1, checkpoint_id{3});
  BOOST_TEST(e.phase() == job_end_phase::collecting);
  BOOST_TEST(!e.final_checkpoint().has_value());
  BOOST_TEST(!e.on_source_finished(src(0, 1)));
  BOOST_TEST(e.on_source_finished(src(1, 1)));
}

BOOST_AUTO_TEST_CASE(an_aborted_final_outside_a_failover_fails_the_job) {
  end_of_job e{two, 0};
  static_cast<void>(e.on_source_finished(src(0)));
  static_cast<void>(e.on_source_finished(src(1)));
  e.on_final_started(checkpoint_id{2});
  // J5: other checkpoints' aborts are not the final's.
  BOOST_TEST(!e.on_aborted(checkpoint_id{1}));
  BOOST_TEST(e.on_aborted(checkpoint_id{2}));
}

BOOST_AUTO_TEST_SUITE_END()
