#include "protocol/replay_guard.hpp"

#include <boost/test/unit_test.hpp>

using namespace sluice::protocol;

BOOST_AUTO_TEST_SUITE(replay_guard_tests)

BOOST_AUTO_TEST_CASE(a_source_holds_at_its_allowance_until_a_commit) {
  // CI8: 100 records beyond the restored count of 40.
  replay_guard g{100, 40};
  BOOST_TEST(g.may_read(40) == 100u);
  BOOST_TEST(g.may_read(139) == 1u);
  BOOST_TEST(g.may_read(140) == 0u);
  // CI7: the hold is reported once.
  BOOST_TEST(g.on_held());
  BOOST_TEST(!g.on_held());
  // A snapshot alone releases nothing: the checkpoint may still abort.
  g.on_snapshot(checkpoint_id{3}, 140);
  BOOST_TEST(g.may_read(140) == 0u);
  g.on_committed(checkpoint_id{3});
  BOOST_TEST(g.base() == 140u);
  BOOST_TEST(g.may_read(140) == 100u);
  BOOST_TEST(g.on_held());
}

BOOST_AUTO_TEST_CASE(a_commit_counts_its_own_snapshot_only) {
  replay_guard g{100, 0};
  g.on_snapshot(checkpoint_id{1}, 30);
  g.on_snapshot(checkpoint_id{2}, 60);
  // Checkpoint 1 aborted; 2 commits: its snapshot is the base.
  g.on_committed(checkpoint_id{2});
  BOOST_TEST(g.base() == 60u);
  // A late commit of one older changes nothing.
  g.on_committed(checkpoint_id{1});
  BOOST_TEST(g.base() == 60u);
  // A commit of a checkpoint this incarnation never took changes nothing.
  g.on_committed(checkpoint_id{7});
  BOOST_TEST(g.base() == 60u);
}

BOOST_AUTO_TEST_CASE(without_an_allowance_nothing_holds) {
  replay_guard g{0, 0};
  BOOST_TEST(g.may_read(1'000'000'000) == replay_guard::unlimited);
}

BOOST_AUTO_TEST_SUITE_END()
