#include "protocol/input_holdback.hpp"

#include <boost/test/unit_test.hpp>

#include <set>
#include <string>
#include <vector>

using namespace sluice::protocol;

namespace {

input_event batch_on(uint32_t input) {
  return batch{input, {}};
}

input_event barrier_on(uint32_t input, uint64_t id) {
  return barrier{input, checkpoint_id{id}, snapshot_kind::full, false};
}

input_event end_on(uint32_t input) {
  return end_of_stream{input};
}

std::string name(const input_event& e) {
  auto in = std::to_string(input_of(e));
  if (std::holds_alternative<batch>(e))
    return "batch@" + in;
  if (std::holds_alternative<barrier>(e))
    return "barrier@" + in;
  if (std::holds_alternative<end_of_stream>(e))
    return "end@" + in;
  return "marker@" + in;
}

/// Takes events while `may_go` lets them, as the operator's drain does.
template <class Predicate>
std::vector<std::string> drain(input_holdback& h, Predicate may_go) {
  std::vector<std::string> taken;
  input_event e;
  while (h.take_next(may_go, e))
    taken.push_back(name(e));
  return taken;
}

} // namespace

BOOST_AUTO_TEST_SUITE(input_holdback_tests)

BOOST_AUTO_TEST_CASE(events_queue_behind_their_input_only) {
  input_holdback h{2};
  BOOST_TEST(!h.holds(0));
  h.hold(batch_on(0));
  // H1: input 0 holds something; input 1 does not.
  BOOST_TEST(h.holds(0));
  BOOST_TEST(!h.holds(1));
  h.hold(barrier_on(0, 1));
  BOOST_TEST(h.held_on(0) == 2u);
  BOOST_TEST(h.size() == 2u);
}

BOOST_AUTO_TEST_CASE(a_waiting_event_keeps_later_events_of_its_input_back) {
  input_holdback h{2};
  h.hold(batch_on(0));
  h.hold(barrier_on(0, 1));
  h.hold(batch_on(1));
  h.hold(end_on(0));
  // H2: batches wait (saturated outputs); the barrier behind input 0's
  // batch must not overtake it, while input 1 has nothing else.
  auto batches_wait
    = [](const input_event& e) { return !std::holds_alternative<batch>(e); };
  BOOST_TEST(drain(h, batches_wait).empty());
  BOOST_TEST(h.size() == 4u);
  // H3: once batches may go, everything leaves in arrival order per input.
  auto all = [](const input_event&) { return true; };
  BOOST_TEST(
    drain(h, all)
      == (std::vector<std::string>{"batch@0", "barrier@0", "batch@1", "end@0"}),
    boost::test_tools::per_element());
  BOOST_TEST(h.empty());
  BOOST_TEST(!h.holds(0));
}

BOOST_AUTO_TEST_CASE(a_blocked_input_lets_other_inputs_pass) {
  input_holdback h{3};
  h.hold(barrier_on(0, 2));
  h.hold(batch_on(0));
  h.hold(batch_on(2));
  h.hold(batch_on(1));
  h.hold(batch_on(2));
  // H2: input 0 is aligned and held back (A1): only 1 and 2 go.
  std::set<uint32_t> blocked{0};
  auto open
    = [&](const input_event& e) { return blocked.count(input_of(e)) == 0; };
  BOOST_TEST(drain(h, open)
               == (std::vector<std::string>{"batch@2", "batch@1", "batch@2"}),
             boost::test_tools::per_element());
  BOOST_TEST(h.held_on(0) == 2u);
  blocked.clear();
  BOOST_TEST(drain(h, open)
               == (std::vector<std::string>{"barrier@0", "batch@0"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(handling_one_event_may_free_an_earlier_one) {
  input_holdback h{2};
  h.hold(batch_on(0));
  h.hold(barrier_on(1, 1));
  // H3: the barrier on input 1 opens the way for input 0's batch (say, it
  // completed an alignment); the next call finds it.
  bool aligned = false;
  auto may_go = [&](const input_event& e) {
    return std::holds_alternative<barrier>(e) || aligned;
  };
  input_event e;
  BOOST_TEST_REQUIRE(h.take_next(may_go, e));
  BOOST_TEST(name(e) == "barrier@1");
  aligned = true;
  BOOST_TEST_REQUIRE(h.take_next(may_go, e));
  BOOST_TEST(name(e) == "batch@0");
}

BOOST_AUTO_TEST_SUITE_END()
