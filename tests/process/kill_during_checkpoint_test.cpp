#include "state/checkpoint_store.hpp"
#include "state/keyed_value_state.hpp"
#include "state/restore_point.hpp"
#include "state/state_registry.hpp"
#include "tests/support/caf_printing.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/failure_text.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <csignal>
#include <random>
#include <thread>

using namespace sluice;
using sluice::testing::child_process;
using sluice::testing::failure_text;
using sluice::testing::temp_dir;

BOOST_AUTO_TEST_SUITE(kill_during_checkpoint_tests)

BOOST_AUTO_TEST_CASE(
  sigkill_at_random_points_always_leaves_a_restorable_store) {
  // 25 times: start the job (it resumes from the store), let it checkpoint
  // every 15 ms for a random while, kill it with SIGKILL. After each kill
  // the latest completed checkpoint must restore, and its counts must be
  // the ground truth of the records below its source offsets. Every other
  // run (the first included) is killed only after it completed a
  // checkpoint of its own, so that the store makes progress however slow
  // the machine; the others may die anywhere, in their restore too.
  temp_dir dir;
  auto store_path = dir.file("job.db");
  std::mt19937_64 rng{std::random_device{}()};
  auto seed = rng();
  BOOST_TEST_MESSAGE("seed " << seed);
  rng.seed(seed);
  uint64_t last_checkpoint = 0;
  int restorable = 0;
  for (int kill = 0; kill < 25; ++kill) {
    BOOST_TEST_CONTEXT("kill " << kill) {
      child_process child{{SLUICE_CHECKPOINTING_CHILD, store_path}};
      BOOST_TEST_REQUIRE(child.wait_for_line("started"));
      bool progressed = kill % 2 == 0;
      if (progressed)
        BOOST_TEST_REQUIRE(child.wait_for_line("checkpointed"), child.output());
      // A random moment: not a wait for anything.
      std::this_thread::sleep_for(std::chrono::milliseconds(20 + rng() % 150));
      child.kill();
      // The kill ended it: a run that failed on its own would go unseen.
      BOOST_TEST_REQUIRE(child.wait() == 128 + SIGKILL, child.output());
      auto store = state::checkpoint_store::open(store_path);
      BOOST_TEST_REQUIRE(static_cast<bool>(store), failure_text(store));
      auto point = state::load_restore_point(*store, "killed");
      // The first run completed one before it was killed.
      BOOST_TEST_REQUIRE(static_cast<bool>(point), failure_text(point));
      BOOST_TEST(point->skipped.empty());
      auto id = to_integer(point->checkpoint.id);
      BOOST_TEST(id >= last_checkpoint); // progress is never lost
      if (progressed)
        BOOST_TEST(id > last_checkpoint); // this run's own
      last_checkpoint = id;
      ++restorable;
      // Ground truth: instance i of 2 produced indices i, i + 2, ...,
      // below its offset (records, not bytes, for a generator).
      std::vector<uint64_t> expected(1000, 0);
      for (uint32_t i = 0; i < 2; ++i) {
        auto offset = point->chain("src", i).back().source_offset.value();
        for (uint64_t k = 0; k < offset; ++k)
          ++expected[(i + 2 * k) % 1000];
      }
      std::vector<uint64_t> stored(1000, 0);
      for (uint32_t i = 0; i < 2; ++i) {
        state::state_registry registry;
        auto& counts
          = registry.make<state::keyed_value_state<uint64_t, uint64_t>>(
            "counts");
        BOOST_TEST_REQUIRE(
          !registry.restore(point->chain("count", i), "count"));
        counts.for_each([&](uint64_t k, uint64_t n) { stored[k] = n; });
      }
      BOOST_TEST((stored == expected));
    }
  }
  BOOST_TEST(restorable == 25);
  // Ids are never used again: each of the 13 runs that completed one of
  // its own added at least one.
  BOOST_TEST(last_checkpoint >= 13u);
}

BOOST_AUTO_TEST_SUITE_END()
