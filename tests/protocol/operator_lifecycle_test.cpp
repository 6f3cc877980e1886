#include "protocol/operator_lifecycle.hpp"

#include <boost/test/unit_test.hpp>

#include <optional>

using namespace sluice::protocol;

BOOST_AUTO_TEST_SUITE(operator_lifecycle_tests)

BOOST_AUTO_TEST_CASE(a_transform_finishes_at_the_final_barrier_once) {
  operator_lifecycle o{operator_role::transform, start_mode::fresh,
                       std::nullopt};
  // O3: not before its logic finished.
  BOOST_TEST(!o.may_end(true, true, true));
  // O1: the logic finishes before the final snapshot ...
  BOOST_TEST(o.on_final_aligned());
  BOOST_TEST(o.phase() == operator_phase::finished);
  // ... and not again when its inputs end behind the barrier (O2).
  BOOST_TEST(!o.on_inputs_ended());
  o.on_snapshot(checkpoint_id{3});
  // O3: a transform does not wait for commits, but for its outputs.
  BOOST_TEST(!o.may_end(true, false, true));
  BOOST_TEST(!o.may_end(false, true, true));
  BOOST_TEST(o.may_end(true, true, true));
  BOOST_TEST(o.phase() == operator_phase::ended);
  BOOST_TEST(!o.may_end(true, true, true));
}

BOOST_AUTO_TEST_CASE(without_a_final_barrier_it_finishes_when_inputs_end) {
  operator_lifecycle o{operator_role::sink, start_mode::fresh, std::nullopt};
  // O2: a job without checkpoints.
  BOOST_TEST(o.on_inputs_ended());
  BOOST_TEST(!o.awaits_commit());
  BOOST_TEST(o.may_end(true, true, true));
}

BOOST_AUTO_TEST_CASE(a_sink_ends_only_after_its_last_snapshot_committed) {
  operator_lifecycle o{operator_role::sink, start_mode::fresh,
                       checkpoint_id{2}};
  BOOST_TEST(o.on_final_aligned());
  o.on_snapshot(checkpoint_id{5});
  // O3: nothing is visible until the final checkpoint committed; ending
  // before would leave its epoch to no one.
  BOOST_TEST(o.awaits_commit());
  BOOST_TEST(!o.may_end(true, true, true));
  o.on_committed(checkpoint_id{4});
  BOOST_TEST(!o.may_end(true, true, true));
  o.on_committed(checkpoint_id{5});
  // O3: and only once its logic handed everything over.
  BOOST_TEST(!o.may_end(true, true, false));
  BOOST_TEST(o.may_end(true, true, true));
}

BOOST_AUTO_TEST_CASE(restored_from_the_completed_final_it_does_not_finish) {
  operator_lifecycle o{operator_role::sink, start_mode::job_done,
                       checkpoint_id{9}};
  // O4: its logic finished before the final snapshot it was restored
  // from; it ends once its inputs did, without finishing again.
  BOOST_TEST(o.phase() == operator_phase::finished);
  BOOST_TEST(!o.on_inputs_ended());
  BOOST_TEST(!o.awaits_commit());
  BOOST_TEST(o.may_end(true, true, true));
}

BOOST_AUTO_TEST_SUITE_END()
