#include "protocol/source_lifecycle.hpp"

#include <boost/test/unit_test.hpp>

#include <functional>
#include <string>
#include <vector>

using namespace sluice::protocol;

namespace {

using event = std::function<source_answer(source_lifecycle&)>;

struct step {
  std::string what;
  event run;
  source_answer expected;
  source_phase after;
};

void run(source_lifecycle& s, const std::vector<step>& script) {
  int n = 0;
  for (auto& x : script) {
    BOOST_TEST_CONTEXT("step " << n++ << ": " << x.what) {
      BOOST_TEST(x.run(s) == x.expected);
      BOOST_TEST(s.phase() == x.after);
    }
  }
}

step started(source_answer a, source_phase p,
             start_mode m = start_mode::fresh) {
  return {"started", [m](source_lifecycle& s) { return s.on_started(m); }, a,
          p};
}

step saturated(source_answer a, source_phase p) {
  return {"saturated", [](source_lifecycle& s) { return s.on_saturated(); }, a,
          p};
}

step credit(source_answer a, source_phase p) {
  return {"credit", [](source_lifecycle& s) { return s.on_credit(); }, a, p};
}

step input_ended(source_answer a, source_phase p) {
  return {"input ended", [](source_lifecycle& s) { return s.on_input_ended(); },
          a, p};
}

step stop(bool accepted_left, source_answer a, source_phase p) {
  return {
    "stop",
    [accepted_left](source_lifecycle& s) { return s.on_stop(accepted_left); },
    a, p};
}

step trigger(uint64_t id, bool final, source_answer a, source_phase p) {
  return {"trigger " + std::to_string(id) + (final ? " final" : ""),
          [id, final](source_lifecycle& s) {
            return s.on_trigger(checkpoint_id{id}, final);
          },
          a, p};
}

step committed(uint64_t id, source_answer a, source_phase p) {
  return {
    "committed " + std::to_string(id),
    [id](source_lifecycle& s) { return s.on_committed(checkpoint_id{id}); }, a,
    p};
}

step drained(source_answer a, source_phase p) {
  return {"drained", [](source_lifecycle& s) { return s.on_outputs_drained(); },
          a, p};
}

using A = source_answer;
using P = source_phase;

} // namespace

BOOST_AUTO_TEST_SUITE(source_lifecycle_tests)

BOOST_AUTO_TEST_CASE(reads_pauses_without_credit_and_reads_again) {
  source_lifecycle s{source_ending::final_checkpoint};
  run(s, {
           // L1: the roster opens the outputs; the source reads.
           started(A::read, P::reading),
           // L2: no credit, no reading; credit brings it back.
           saturated(A::none, P::paused),
           drained(A::none, P::paused),
           credit(A::read, P::reading),
           credit(A::none, P::reading),
         });
}

BOOST_AUTO_TEST_CASE(a_finished_source_reports_once_and_waits_for_the_final) {
  source_lifecycle s{source_ending::final_checkpoint};
  run(s, {
           started(A::read, P::reading),
           // L4: a checkpoint while reading: snapshot, read on.
           trigger(1, false, A::snapshot, P::reading),
           // L3: the last record: report it, keep the streams open.
           input_ended(A::report_finished, P::finished),
           input_ended(A::none, P::finished),
           stop(false, A::none, P::finished),
           drained(A::none, P::finished),
           // L4: checkpoints before the final one still need its offset.
           trigger(2, false, A::snapshot, P::finished),
           trigger(3, true, A::snapshot_final, P::awaiting_final),
           // L4: nothing follows the final barrier.
           trigger(4, false, A::none, P::awaiting_final),
           // L5: it ends once its outputs drained.
           drained(A::end_streams, P::ended),
           drained(A::none, P::ended),
         });
  BOOST_TEST_REQUIRE(s.final_checkpoint().has_value());
  BOOST_TEST(*s.final_checkpoint() == checkpoint_id{3});
}

BOOST_AUTO_TEST_CASE(a_final_trigger_while_reading_is_refused) {
  source_lifecycle s{source_ending::final_checkpoint};
  run(s, {
           started(A::read, P::reading),
           // L4: the coordinator's view is stale (J1); the source does not
           // cut its input short.
           trigger(1, true, A::refuse, P::reading),
           saturated(A::none, P::paused),
           trigger(1, true, A::refuse, P::paused),
         });
  BOOST_TEST(!s.final_checkpoint().has_value());
}

BOOST_AUTO_TEST_CASE(a_stopped_ingress_source_hands_on_then_awaits_commit) {
  source_lifecycle s{source_ending::final_commit};
  run(s, {
           started(A::read, P::reading),
           // L3, I6: stopped with accepted records left: they go on.
           stop(true, A::read, P::stopping),
           trigger(1, false, A::snapshot, P::stopping),
           input_ended(A::report_finished, P::stopped),
           trigger(2, true, A::snapshot_final, P::awaiting_final),
           // L5: an ingress source acknowledges at the final commit.
           drained(A::none, P::awaiting_final),
           committed(1, A::none, P::awaiting_final),
           drained(A::none, P::awaiting_final),
           committed(2, A::none, P::awaiting_final),
           drained(A::end_streams, P::ended),
         });
}

BOOST_AUTO_TEST_CASE(stop_with_nothing_left_is_at_once_stopped) {
  source_lifecycle s{source_ending::final_checkpoint};
  run(s, {
           started(A::read, P::reading),
           saturated(A::none, P::paused),
           stop(false, A::report_finished, P::stopped),
           credit(A::none, P::stopped),
         });
}

BOOST_AUTO_TEST_CASE(without_checkpoints_a_finished_source_drains_and_ends) {
  source_lifecycle s{source_ending::drain};
  run(s, {
           started(A::read, P::reading),
           // L3: no coordinator to tell; L5: it ends once drained.
           input_ended(A::none, P::finished),
           drained(A::end_streams, P::ended),
         });
}

BOOST_AUTO_TEST_CASE(restored_from_the_completed_final_it_ends_at_once) {
  source_lifecycle s{source_ending::final_checkpoint};
  run(s, {
           // L6: the final checkpoint covers all it would read.
           started(A::end_streams, P::ended, start_mode::job_done),
           trigger(5, true, A::none, P::ended),
         });
}

BOOST_AUTO_TEST_SUITE_END()
