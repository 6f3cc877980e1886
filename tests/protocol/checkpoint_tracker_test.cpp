#include "protocol/checkpoint_tracker.hpp"

#include <boost/test/unit_test.hpp>

#include <vector>

using namespace sluice::protocol;

namespace {

std::vector<uint64_t> ids(const std::vector<acknowledged_checkpoint>& xs) {
  std::vector<uint64_t> result;
  for (auto& x : xs)
    result.push_back(to_integer(x.plan.id));
  return result;
}

} // namespace

BOOST_AUTO_TEST_SUITE(checkpoint_tracker_tests)

BOOST_AUTO_TEST_CASE(a_missing_ack_never_completes_and_abort_frees_the_slot) {
  checkpoint_tracker t{3, 1, 10, std::nullopt};
  auto c1 = t.start();
  BOOST_TEST_REQUIRE(c1.has_value());
  BOOST_TEST(to_integer(c1->id) == 1u);
  // C1: at most max_concurrent in flight.
  BOOST_TEST(!t.start().has_value());
  BOOST_TEST(t.on_ack(c1->id, 0, 0, 10).empty());
  BOOST_TEST(t.on_ack(c1->id, 1, 0, 10).empty());
  // A duplicate ack is not the missing one.
  BOOST_TEST(t.on_ack(c1->id, 1, 0, 10).empty());
  BOOST_TEST(t.is_in_flight(c1->id));
  // C6: the timeout gives up on it ...
  BOOST_TEST(t.abort(c1->id) == (std::vector<checkpoint_id>{c1->id}),
             boost::test_tools::per_element());
  // ... a late ack changes nothing ...
  BOOST_TEST(t.on_ack(c1->id, 2, 0, 10).empty());
  // ... and the next checkpoint completes.
  auto c2 = t.start();
  BOOST_TEST_REQUIRE(c2.has_value());
  BOOST_TEST(t.on_ack(c2->id, 0, 0, 1).empty());
  BOOST_TEST(t.on_ack(c2->id, 1, 0, 2).empty());
  auto done = t.on_ack(c2->id, 2, 0, 3);
  BOOST_TEST(ids(done) == (std::vector<uint64_t>{2}),
             boost::test_tools::per_element());
  BOOST_TEST(done[0].bytes == 6u);
}

BOOST_AUTO_TEST_CASE(full_snapshots_come_every_n_checkpoints) {
  checkpoint_tracker t{1, 1, 3, std::nullopt};
  std::vector<snapshot_kind> kinds;
  std::vector<uint64_t> bases;
  for (int i = 0; i < 7; ++i) {
    auto c = t.start();
    BOOST_TEST_REQUIRE(c.has_value());
    kinds.push_back(c->kind);
    bases.push_back(to_integer(c->base));
    BOOST_TEST(t.on_ack(c->id, 0, 0, 1).size() == 1u);
  }
  using k = snapshot_kind;
  BOOST_TEST(kinds
               == (std::vector<k>{k::full, k::delta, k::delta, k::full,
                                  k::delta, k::delta, k::full}),
             boost::test_tools::per_element());
  BOOST_TEST(bases == (std::vector<uint64_t>{1, 1, 1, 4, 4, 4, 7}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(after_an_abort_the_next_checkpoint_is_full) {
  checkpoint_tracker t{1, 1, 10, std::nullopt};
  auto c1 = t.start();
  static_cast<void>(t.on_ack(c1->id, 0, 0, 1));
  auto c2 = t.start();
  BOOST_TEST(c2->kind == snapshot_kind::delta);
  static_cast<void>(t.abort(c2->id));
  // The instances' change tracking went into the aborted delta.
  auto c3 = t.start();
  BOOST_TEST(c3->kind == snapshot_kind::full);
}

BOOST_AUTO_TEST_CASE(
  completions_come_in_order_and_aborts_take_dependent_deltas) {
  checkpoint_tracker t{2, 3, 10, std::nullopt};
  auto c1 = t.start();
  auto c2 = t.start();
  auto c3 = t.start();
  // c2 is fully acknowledged first but waits for c1 (its base).
  BOOST_TEST(t.on_ack(c2->id, 0, 0, 1).empty());
  BOOST_TEST(t.on_ack(c2->id, 1, 0, 1).empty());
  BOOST_TEST(t.on_ack(c1->id, 0, 0, 1).empty());
  BOOST_TEST(ids(t.on_ack(c1->id, 1, 0, 1)) == (std::vector<uint64_t>{1, 2}),
             boost::test_tools::per_element());
  // c3 (a delta) goes with an aborted predecessor ...
  auto c4 = t.start();
  BOOST_TEST(t.abort(c3->id) == (std::vector<checkpoint_id>{c3->id, c4->id}),
             boost::test_tools::per_element());
  BOOST_TEST(t.in_flight() == 0u);
}

BOOST_AUTO_TEST_CASE(a_restored_job_continues_the_chain_and_the_ids) {
  checkpoint_plan restored{checkpoint_id{12}, snapshot_kind::delta,
                           checkpoint_id{10}, false};
  checkpoint_tracker t{1, 1, 4, restored, checkpoint_id{13}};
  auto c = t.start();
  BOOST_TEST(to_integer(c->id) == 13u);
  BOOST_TEST(c->kind == snapshot_kind::delta); // 10, 11, 12, then this one
  BOOST_TEST(to_integer(c->base) == 10u);
  static_cast<void>(t.on_ack(c->id, 0, 0, 1));
  BOOST_TEST(t.start()->kind == snapshot_kind::full); // chain of 4 reached
}

BOOST_AUTO_TEST_CASE(ids_discarded_after_the_restored_one_start_a_new_chain) {
  // The store used ids up to 14; 13 and 14 were discarded by the resume.
  // A chain runs through consecutive ids, so 15 cannot build on 12.
  checkpoint_plan restored{checkpoint_id{12}, snapshot_kind::delta,
                           checkpoint_id{10}, false};
  checkpoint_tracker t{1, 1, 4, restored, checkpoint_id{15}};
  auto c = t.start();
  BOOST_TEST(to_integer(c->id) == 15u); // above all ids the store used
  BOOST_TEST(c->kind == snapshot_kind::full);
  BOOST_TEST(to_integer(c->base) == 15u);
}

BOOST_AUTO_TEST_CASE(a_failed_completion_starts_a_new_chain) {
  checkpoint_tracker t{1, 2, 4, std::nullopt, checkpoint_id{1}};
  auto c1 = t.start();
  auto c2 = t.start(); // a delta on c1, in flight
  BOOST_TEST(c2->kind == snapshot_kind::delta);
  BOOST_TEST(t.on_ack(c1->id, 0, 0, 1).size() == 1u);
  // The store could not mark c1 completed: c2 builds on it and goes.
  BOOST_TEST(
    (t.completion_failed(c1->id) == std::vector<checkpoint_id>{c2->id}),
    boost::test_tools::per_element());
  BOOST_TEST((t.abort(c2->id) == std::vector<checkpoint_id>{c2->id}),
             boost::test_tools::per_element());
  BOOST_TEST(t.start()->kind == snapshot_kind::full);
}

BOOST_AUTO_TEST_CASE(an_acknowledged_full_checkpoint_completes_after_an_abort) {
  checkpoint_tracker t{2, 2, 1, std::nullopt};
  auto c1 = t.start();
  auto c2 = t.start();
  BOOST_TEST_REQUIRE(c2.has_value());
  BOOST_TEST(c2->kind == snapshot_kind::full);
  // C5: every instance acknowledged 2, but 1 is older and still in flight.
  BOOST_TEST(t.on_ack(c2->id, 0, 0, 1).empty());
  BOOST_TEST(t.on_ack(c2->id, 1, 0, 1).empty());
  // C6: 1 times out; 2 does not build on it and completes now.
  BOOST_TEST(t.abort(c1->id) == (std::vector<checkpoint_id>{c1->id}),
             boost::test_tools::per_element());
  BOOST_TEST(ids(t.complete_in_order()) == (std::vector<uint64_t>{2}),
             boost::test_tools::per_element());
  BOOST_TEST(t.in_flight() == 0u);
  BOOST_TEST(t.complete_in_order().empty());
}

BOOST_AUTO_TEST_CASE(a_restart_starts_a_new_chain) {
  checkpoint_tracker t{1, 1, 10, std::nullopt};
  for (int i = 0; i < 2; ++i) {
    auto c = t.start();
    BOOST_TEST_REQUIRE(c.has_value());
    BOOST_TEST(t.on_ack(c->id, 0, 0, 1).size() == 1u);
  }
  // R3, S4: the restore went back to checkpoint 1 (2 was damaged); a delta
  // on 2's chain would be unrestorable.
  t.restart_chain();
  auto c = t.start();
  BOOST_TEST_REQUIRE(c.has_value());
  BOOST_TEST(c->kind == snapshot_kind::full);
  BOOST_TEST(c->base == c->id);
}

BOOST_AUTO_TEST_SUITE_END()
