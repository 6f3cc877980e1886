#include "protocol/barrier_aligner.hpp"

#include <boost/test/unit_test.hpp>

#include <vector>

using namespace sluice::protocol;

namespace {

enum class event_kind { barrier, closed };

struct step {
  event_kind kind;
  uint64_t id;
  uint32_t input;
  align_result expected;
  std::vector<bool> blocked; ///< After the step.
};

void run(barrier_aligner& a, const std::vector<step>& script) {
  int n = 0;
  for (auto& s : script) {
    BOOST_TEST_CONTEXT("step " << n++) {
      auto got = s.kind == event_kind::barrier
                   ? a.on_barrier(checkpoint_id{s.id}, s.input)
                   : a.on_input_closed(s.input);
      BOOST_TEST(got == s.expected);
      if (got == align_result::snapshot
          || (got == align_result::abort_pending && a.ready()))
        a.snapshot_taken();
      for (uint32_t i = 0; i < s.blocked.size(); ++i)
        BOOST_TEST(a.blocked(i) == s.blocked[i], "input " << i);
    }
  }
}

constexpr auto barrier = event_kind::barrier;
constexpr auto closed = event_kind::closed;

} // namespace

BOOST_AUTO_TEST_SUITE(barrier_aligner_tests)

BOOST_AUTO_TEST_CASE(exactly_once_holds_inputs_until_all_barriers_arrived) {
  barrier_aligner a{3, checkpoint_mode::exactly_once};
  run(a, {
           // A1: the first barrier blocks its input ...
           {barrier, 1, 0, align_result::wait, {true, false, false}},
           {barrier, 1, 2, align_result::wait, {true, false, true}},
           // ... until the last one: snapshot, and all inputs open again.
           {barrier, 1, 1, align_result::snapshot, {false, false, false}},
           // A3: a barrier of a checkpoint already taken is stale.
           {barrier, 1, 0, align_result::ignore_stale, {false, false, false}},
         });
}

BOOST_AUTO_TEST_CASE(at_least_once_never_blocks) {
  barrier_aligner a{2, checkpoint_mode::at_least_once};
  run(a, {
           {barrier, 1, 0, align_result::wait, {false, false}},
           {barrier, 1, 1, align_result::snapshot, {false, false}},
         });
}

BOOST_AUTO_TEST_CASE(newer_barrier_aborts_the_pending_checkpoint) {
  barrier_aligner a{2, checkpoint_mode::exactly_once};
  run(a, {
           {barrier, 1, 0, align_result::wait, {true, false}},
           // A2: checkpoint 2 subsumes 1 (the coordinator gave up on it).
           {barrier, 2, 1, align_result::abort_pending, {false, true}},
           // A3: 1 is gone for good.
           {barrier, 1, 1, align_result::ignore_stale, {false, true}},
           {barrier, 2, 0, align_result::snapshot, {false, false}},
         });
}

BOOST_AUTO_TEST_CASE(closed_inputs_count_as_aligned) {
  barrier_aligner a{3, checkpoint_mode::exactly_once};
  run(a, {
           {barrier, 1, 0, align_result::wait, {true, false, false}},
           // A4: an input that ended delivers no barrier and needs none.
           {closed, 0, 1, align_result::wait, {true, false, false}},
           {closed, 0, 2, align_result::snapshot, {false, false, false}},
           // With two inputs closed, the remaining one aligns alone.
           {barrier, 2, 0, align_result::snapshot, {false, false, false}},
         });
}

BOOST_AUTO_TEST_SUITE_END()
