#include "state/checkpoint_store.hpp"

#include "protocol/describe.hpp"
#include "state/errc.hpp"
#include "state/keyed_map_state.hpp"
#include "state/keyed_value_state.hpp"
#include "state/operator_value_state.hpp"
#include "state/restore_point.hpp"
#include "state/snapshot_frame.hpp"
#include "state/sqlite_db.hpp"
#include "state/state_registry.hpp"
#include "tests/support/caf_printing.hpp"
#include "tests/support/failure_text.hpp"
#include "tests/support/file_size_limit.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <set>

using namespace sluice;
using namespace sluice::state;
using protocol::checkpoint_id;
using protocol::checkpoint_plan;
using protocol::snapshot_kind;
using sluice::testing::failure_text;
using sluice::testing::file_size_limit;
using sluice::testing::temp_dir;

namespace {

/// The job all these checkpoints belong to.
const std::string job = "job";

/// The identity instance 0 of `stage` stamps on its snapshot of `plan`.
snapshot_identity stamp(const checkpoint_plan& plan, const std::string& stage,
                        uint32_t instance = 0) {
  return {job,       stage,
          instance,  to_integer(plan.id),
          plan.kind, to_integer(plan.base)};
}

/// The states of one made-up operator instance.
struct instance_states {
  state_registry registry;
  keyed_value_state<std::string, uint64_t>& counts
    = registry.make<keyed_value_state<std::string, uint64_t>>("counts");
  keyed_map_state<std::string, int, std::string>& sessions
    = registry.make<keyed_map_state<std::string, int, std::string>>("sessions");
  operator_value_state<uint64_t>& seen
    = registry.make<operator_value_state<uint64_t>>("seen");
};

struct store_fixture {
  temp_dir dir;
  checkpoint_store store = open();

  checkpoint_store open() {
    auto s = checkpoint_store::open(dir.file("job.db"));
    BOOST_TEST_REQUIRE(static_cast<bool>(s), failure_text(s));
    return std::move(*s);
  }

  /// Stores the instance's images for checkpoint `plan` and completes it.
  void checkpoint(const checkpoint_plan& plan, instance_states& x,
                  size_t retain = 100, uint64_t offset = 0) {
    BOOST_TEST_REQUIRE(!store.begin(plan, 1));
    instance_image image;
    image.kind = plan.kind;
    x.registry.take_images(plan.kind, image);
    BOOST_TEST_REQUIRE(!store.put_snapshot(plan.id, "op", 0, plan.kind,
                                           image.encode(stamp(plan, "op")),
                                           std::nullopt, std::nullopt));
    instance_image src;
    src.kind = plan.kind;
    src.source_offset = offset;
    BOOST_TEST_REQUIRE(!store.put_snapshot(plan.id, "src", 0, plan.kind,
                                           src.encode(stamp(plan, "src")),
                                           offset, std::nullopt));
    BOOST_TEST_REQUIRE(!store.complete(plan.id, 2, retain));
  }

  std::set<uint64_t> completed_ids() {
    std::set<uint64_t> ids;
    auto all = store.completed();
    BOOST_TEST_REQUIRE(static_cast<bool>(all));
    for (auto& c : *all)
      ids.insert(to_integer(c.id));
    return ids;
  }
};

checkpoint_plan full(uint64_t id) {
  return {checkpoint_id{id}, snapshot_kind::full, checkpoint_id{id}, false};
}

checkpoint_plan delta(uint64_t id, uint64_t base) {
  return {checkpoint_id{id}, snapshot_kind::delta, checkpoint_id{base}, false};
}

void mutate(instance_states& x, int round) {
  for (int i = 0; i < 50; ++i)
    x.counts.put("k" + std::to_string((round * 7 + i) % 120), round * 1000 + i);
  x.counts.erase("k" + std::to_string(round));
  x.sessions.put("s" + std::to_string(round % 3), round,
                 "r" + std::to_string(round));
  x.sessions.erase("s" + std::to_string((round + 1) % 3), round - 1);
  x.seen.value() += 50;
}

int64_t page_size_of(const std::string& path) {
  auto db = sqlite_db::open(path);
  BOOST_TEST_REQUIRE(static_cast<bool>(db), failure_text(db));
  auto stmt = db->prepare("PRAGMA page_size");
  BOOST_TEST_REQUIRE(static_cast<bool>(stmt));
  auto row = stmt->step();
  BOOST_TEST_REQUIRE((row && *row));
  return stmt->column_int(0);
}

/// `instance_snapshot` as written before it carried its identity.
struct legacy_snapshot {
  snapshot_kind kind = snapshot_kind::full;
  std::optional<uint64_t> source_offset;
  std::optional<uint64_t> source_records;
  std::optional<std::string> sink_transaction;
  std::vector<state_section> sections;

  template <class Archive>
  void serialize(Archive& ar, uint32_t /* version */) {
    ar(kind, source_offset, source_records, sink_transaction, sections);
  }
};

template <class K, class V>
std::map<K, V> contents(const keyed_value_state<K, V>& s) {
  std::map<K, V> result;
  s.for_each([&](const K& k, const V& v) { result[k] = v; });
  return result;
}

} // namespace

CEREAL_CLASS_VERSION(legacy_snapshot, 1)

BOOST_FIXTURE_TEST_SUITE(checkpoint_store_tests, store_fixture)

BOOST_AUTO_TEST_CASE(every_state_type_round_trips_through_the_store) {
  instance_states original;
  mutate(original, 1);
  checkpoint(full(1), original, 3, 77);
  auto point = load_restore_point(store, job);
  BOOST_TEST_REQUIRE(static_cast<bool>(point), failure_text(point));
  BOOST_TEST(to_integer(point->checkpoint.id) == 1u);
  BOOST_TEST(point->chain("src", 0).back().source_offset.value_or(0) == 77u);
  instance_states restored;
  BOOST_TEST_REQUIRE(!restored.registry.restore(point->chain("op", 0), "op"));
  BOOST_TEST((contents(restored.counts) == contents(original.counts)));
  BOOST_TEST(
    (*restored.sessions.entries("s1") == *original.sessions.entries("s1")));
  BOOST_TEST(restored.seen.value() == original.seen.value());
}

BOOST_AUTO_TEST_CASE(incremental_chain_restore_equals_full_restore) {
  instance_states x;
  mutate(x, 0);
  checkpoint(full(1), x);
  for (uint64_t id = 2; id <= 6; ++id) {
    mutate(x, static_cast<int>(id));
    checkpoint(delta(id, 1), x);
  }
  auto chained = load_restore_point(store, job);
  BOOST_TEST_REQUIRE(static_cast<bool>(chained));
  BOOST_TEST(chained->chain("op", 0).size() == 6u); // full + 5 deltas
  instance_states from_chain;
  BOOST_TEST_REQUIRE(
    !from_chain.registry.restore(chained->chain("op", 0), "op"));
  // The same state written whole.
  checkpoint(full(7), x);
  auto whole = load_restore_point(store, job);
  BOOST_TEST_REQUIRE(static_cast<bool>(whole));
  BOOST_TEST(whole->chain("op", 0).size() == 1u);
  instance_states from_full;
  BOOST_TEST_REQUIRE(!from_full.registry.restore(whole->chain("op", 0), "op"));
  BOOST_TEST((contents(from_chain.counts) == contents(from_full.counts)));
  BOOST_TEST((contents(from_chain.counts) == contents(x.counts)));
  BOOST_TEST(from_chain.seen.value() == from_full.seen.value());
  for (auto key : {"s0", "s1", "s2"}) {
    auto a = from_chain.sessions.entries(key);
    auto b = from_full.sessions.entries(key);
    BOOST_TEST((a == nullptr) == (b == nullptr));
    if (a && b)
      BOOST_TEST((*a == *b));
  }
}

BOOST_AUTO_TEST_CASE(retention_deletes_only_what_no_chain_needs) {
  instance_states x;
  // Chains: 1..3 (full 1), 4..6 (full 4), 7 (full 7); keep the newest 2.
  for (uint64_t id = 1; id <= 7; ++id) {
    mutate(x, static_cast<int>(id));
    uint64_t base = id <= 3 ? 1 : id <= 6 ? 4 : 7;
    checkpoint(id == base ? full(id) : delta(id, base), x, 2);
  }
  // Newest two: 6 and 7. 6 needs 4 and 5; 7 needs itself. 1-3 go.
  BOOST_TEST((completed_ids() == std::set<uint64_t>{4, 5, 6, 7}));
  // Each kept checkpoint still restores.
  for (uint64_t id : {4, 5, 6, 7}) {
    auto point = load_restore_point(store, job, checkpoint_id{id});
    BOOST_TEST_REQUIRE(static_cast<bool>(point), failure_text(point));
  }
  // Once 8 and 9 (a new chain) complete, all of 4-6 go.
  checkpoint(full(8), x, 2);
  checkpoint(delta(9, 8), x, 2);
  BOOST_TEST((completed_ids() == std::set<uint64_t>{8, 9}));
}

BOOST_AUTO_TEST_CASE(a_flipped_byte_is_reported_and_restore_falls_back) {
  instance_states x;
  mutate(x, 1);
  checkpoint(full(1), x);
  mutate(x, 2);
  checkpoint(delta(2, 1), x);
  mutate(x, 3);
  checkpoint(delta(3, 1), x);
  // Damage checkpoint 2's payload: 2 and 3 (whose chain runs through 2)
  // cannot be restored; 1 can.
  auto chain = store.chain(checkpoint_id{2}, "op", 0);
  BOOST_TEST_REQUIRE(static_cast<bool>(chain));
  auto payload = chain->back();
  payload[payload.size() / 2] ^= 0x01;
  BOOST_TEST_REQUIRE(
    !store.replace_payload(checkpoint_id{2}, "op", 0, payload));
  auto point = load_restore_point(store, job);
  BOOST_TEST_REQUIRE(static_cast<bool>(point));
  BOOST_TEST(to_integer(point->checkpoint.id) == 1u);
  BOOST_TEST_REQUIRE(point->skipped.size() == 2u);
  BOOST_TEST(point->skipped[0].find("checkpoint 3 skipped: checkpoint 2, stage "
                                    "'op' instance 0: checksum mismatch")
               == 0u,
             point->skipped[0]);
  BOOST_TEST(point->skipped[1].find("checkpoint 2 skipped: checkpoint 2, stage "
                                    "'op' instance 0: checksum mismatch")
               == 0u,
             point->skipped[1]);
}

BOOST_AUTO_TEST_CASE(incomplete_checkpoints_are_never_restored) {
  instance_states x;
  mutate(x, 1);
  checkpoint(full(1), x);
  // Checkpoint 2 stored a snapshot but never completed (a crash).
  BOOST_TEST_REQUIRE(!store.begin(delta(2, 1), 3));
  instance_image image;
  x.registry.take_images(snapshot_kind::delta, image);
  BOOST_TEST_REQUIRE(!store.put_snapshot(
    checkpoint_id{2}, "op", 0, snapshot_kind::delta,
    image.encode(stamp(delta(2, 1), "op")), std::nullopt, std::nullopt));
  auto point = load_restore_point(store, job);
  BOOST_TEST_REQUIRE(static_cast<bool>(point));
  BOOST_TEST(to_integer(point->checkpoint.id) == 1u);
  BOOST_TEST(point->skipped.empty());
  BOOST_TEST(!store.discard_incomplete());
  // Its id stays used: the next checkpoint is 3.
  BOOST_TEST(*store.last_id() == 2u);
}

BOOST_AUTO_TEST_CASE(ids_of_discarded_checkpoints_are_never_used_again) {
  instance_states x;
  mutate(x, 1);
  checkpoint(full(1), x);
  mutate(x, 2);
  checkpoint(delta(2, 1), x);
  BOOST_TEST_REQUIRE(!store.discard_after(checkpoint_id{0}));
  BOOST_TEST(store.completed()->empty());
  BOOST_TEST(*store.last_id() == 2u);
  // And after the store is opened again.
  auto again = checkpoint_store::open(dir.file("job.db"));
  BOOST_TEST_REQUIRE(static_cast<bool>(again));
  BOOST_TEST(*again->last_id() == 2u);
}

BOOST_AUTO_TEST_CASE(only_a_pending_checkpoint_completes) {
  instance_states x;
  mutate(x, 1);
  checkpoint(full(1), x);
  // Completed already, and never begun: both refused, naming the store.
  auto twice = store.complete(checkpoint_id{1}, 5, 3);
  BOOST_TEST_REQUIRE(static_cast<bool>(twice));
  BOOST_TEST(protocol::describe(twice).find("checkpoint 1 is not pending")
             != std::string::npos);
  auto never = store.complete(checkpoint_id{7}, 5, 3);
  BOOST_TEST_REQUIRE(static_cast<bool>(never));
  BOOST_TEST(protocol::describe(never).find("job.db") != std::string::npos);
  BOOST_TEST(store.completed()->size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_chain_without_its_full_snapshot_is_refused) {
  instance_states x;
  mutate(x, 1);
  checkpoint(full(1), x);
  mutate(x, 2);
  checkpoint(delta(2, 1), x);
  // The base's snapshot row is lost; the delta alone must not restore.
  auto db = sqlite_db::open(dir.file("job.db"));
  BOOST_TEST_REQUIRE(static_cast<bool>(db));
  BOOST_TEST_REQUIRE(!db->exec("DELETE FROM snapshots WHERE checkpoint = 1"));
  auto links = store.chain(checkpoint_id{2}, "op", 0);
  BOOST_TEST_REQUIRE(!links);
  BOOST_TEST(protocol::describe(links.error())
             == "checkpoint 2, stage 'op' instance 0: the chain misses its "
                "full snapshot, checkpoint 1");
}

BOOST_AUTO_TEST_CASE(a_full_disk_fails_the_checkpoint_and_the_store_goes_on) {
  instance_states x;
  mutate(x, 1);
  checkpoint(full(1), x);
  // A snapshot far larger than the free space left.
  std::string big(4 << 20, 'x');
  instance_image image;
  image.kind = snapshot_kind::full;
  image.sink_transaction = big;
  {
    file_size_limit full_disk{8192};
    auto begun = store.begin(full(2), 3);
    auto put = begun ? begun
                     : store.put_snapshot(
                       checkpoint_id{2}, "op", 0, snapshot_kind::full,
                       image.encode(stamp(full(2), "op")), std::nullopt, big);
    BOOST_TEST_REQUIRE(static_cast<bool>(put));
    BOOST_TEST(put == errc::storage_failed);
    BOOST_TEST(protocol::describe(put).find(dir.file("job.db"))
                 != std::string::npos,
               protocol::describe(put));
  }
  // Nothing of checkpoint 2 counts; with space back, checkpoints go on and
  // the latest completed one restores.
  BOOST_TEST(!store.discard_incomplete());
  BOOST_TEST((completed_ids() == std::set<uint64_t>{1}));
  mutate(x, 3);
  checkpoint(full(3), x);
  auto point = load_restore_point(store, job);
  BOOST_TEST_REQUIRE(static_cast<bool>(point), failure_text(point));
  BOOST_TEST(to_integer(point->checkpoint.id) == 3u);
  instance_states restored;
  BOOST_TEST_REQUIRE(!restored.registry.restore(point->chain("op", 0), "op"));
  BOOST_TEST((contents(restored.counts) == contents(x.counts)));
}

BOOST_AUTO_TEST_CASE(a_store_made_with_small_pages_goes_on_with_them) {
  BOOST_TEST(page_size_of(dir.file("job.db")) == sqlite_db::page_size);
  instance_states x;
  mutate(x, 1);
  checkpoint(full(1), x);
  // As a store created before pages grew: rewritten with 4 KiB pages.
  { auto closed = std::move(store); }
  {
    auto db = sqlite_db::open(dir.file("job.db"));
    BOOST_TEST_REQUIRE(static_cast<bool>(db), failure_text(db));
    BOOST_TEST_REQUIRE(!db->exec("PRAGMA journal_mode=DELETE"));
    BOOST_TEST_REQUIRE(!db->exec("PRAGMA page_size=4096"));
    BOOST_TEST_REQUIRE(!db->exec("VACUUM"));
  }
  BOOST_TEST_REQUIRE(page_size_of(dir.file("job.db")) == 4096);
  store = open();
  mutate(x, 2);
  checkpoint(delta(2, 1), x);
  BOOST_TEST(page_size_of(dir.file("job.db")) == 4096);
  auto point = load_restore_point(store, job);
  BOOST_TEST_REQUIRE(static_cast<bool>(point), failure_text(point));
  BOOST_TEST(to_integer(point->checkpoint.id) == 2u);
  instance_states restored;
  BOOST_TEST_REQUIRE(!restored.registry.restore(point->chain("op", 0), "op"));
  BOOST_TEST((contents(restored.counts) == contents(x.counts)));
}

BOOST_AUTO_TEST_CASE(an_empty_store_has_nothing_to_restore) {
  auto point = load_restore_point(store, job);
  BOOST_TEST_REQUIRE(!point);
  BOOST_TEST(point.error() == errc::no_checkpoint);
  auto wanted = load_restore_point(store, job, checkpoint_id{4});
  BOOST_TEST(protocol::describe(wanted.error())
               .find("holds no completed "
                     "checkpoint 4")
             != std::string::npos);
}

BOOST_AUTO_TEST_CASE(an_unusable_path_names_the_file) {
  auto bad = checkpoint_store::open(dir.file("missing-dir/job.db"));
  BOOST_TEST_REQUIRE(!bad);
  BOOST_TEST(bad.error() == errc::storage_failed);
  auto text = protocol::describe(bad.error());
  BOOST_TEST(text.find("missing-dir/job.db") != std::string::npos, text);
}

BOOST_AUTO_TEST_CASE(a_snapshot_moved_to_another_instance_is_refused) {
  instance_states x;
  mutate(x, 1);
  checkpoint(full(1), x);
  mutate(x, 2);
  checkpoint(full(2), x);
  // Checkpoint 2's snapshots of "op" and "src" swapped: each is intact.
  auto op = store.chain(checkpoint_id{2}, "op", 0);
  auto src = store.chain(checkpoint_id{2}, "src", 0);
  BOOST_TEST_REQUIRE((op && src));
  BOOST_TEST_REQUIRE(
    !store.replace_payload(checkpoint_id{2}, "op", 0, src->back()));
  BOOST_TEST_REQUIRE(
    !store.replace_payload(checkpoint_id{2}, "src", 0, op->back()));
  auto point = load_restore_point(store, job);
  BOOST_TEST_REQUIRE(static_cast<bool>(point), failure_text(point));
  BOOST_TEST(to_integer(point->checkpoint.id) == 1u);
  BOOST_TEST_REQUIRE(point->skipped.size() == 1u);
  BOOST_TEST(point->skipped[0].find("belongs to job 'job', stage 'src'")
               != std::string::npos,
             point->skipped[0]);
}

BOOST_AUTO_TEST_CASE(a_snapshot_of_another_job_is_refused) {
  instance_states x;
  mutate(x, 1);
  checkpoint(full(1), x);
  auto point = load_restore_point(store, "other job");
  BOOST_TEST_REQUIRE(!point);
  BOOST_TEST(point.error() == errc::no_checkpoint);
  auto text = protocol::describe(point.error());
  BOOST_TEST(text.find("belongs to job 'job'") != std::string::npos, text);
}

BOOST_AUTO_TEST_CASE(a_delta_made_to_look_full_is_refused) {
  instance_states x;
  mutate(x, 1);
  checkpoint(full(1), x);
  mutate(x, 2);
  checkpoint(delta(2, 1), x);
  // One integer changed: checkpoint 2 claims to start its own chain, so
  // its delta would be restored as if it were all the state.
  {
    auto db = sqlite_db::open(dir.file("job.db"));
    BOOST_TEST_REQUIRE(static_cast<bool>(db), failure_text(db));
    BOOST_TEST_REQUIRE(
      !db->exec("UPDATE checkpoints SET base = 2, kind = 'full' WHERE id = 2"));
    BOOST_TEST_REQUIRE(!db->exec("UPDATE snapshots SET base = 2, kind = "
                                 "'full' WHERE checkpoint = 2"));
  }
  auto point = load_restore_point(store, job);
  BOOST_TEST_REQUIRE(static_cast<bool>(point), failure_text(point));
  BOOST_TEST(to_integer(point->checkpoint.id) == 1u);
  BOOST_TEST_REQUIRE(point->skipped.size() == 1u);
  BOOST_TEST(point->skipped[0].find("(delta on 1)") != std::string::npos,
             point->skipped[0]);
}

BOOST_AUTO_TEST_CASE(snapshots_without_an_identity_still_restore) {
  // Written before snapshots said where they belong (class version 1).
  BOOST_TEST_REQUIRE(!store.begin(full(1), 1));
  legacy_snapshot old;
  old.source_offset = 5;
  BOOST_TEST_REQUIRE(
    !store.put_snapshot(checkpoint_id{1}, "src", 0, snapshot_kind::full,
                        frame(to_bytes(old)), 5, std::nullopt));
  BOOST_TEST_REQUIRE(!store.complete(checkpoint_id{1}, 2, 3));
  auto point = load_restore_point(store, job);
  BOOST_TEST_REQUIRE(static_cast<bool>(point), failure_text(point));
  BOOST_TEST(point->chain("src", 0).back().source_offset.value_or(0) == 5u);
}

BOOST_AUTO_TEST_CASE(an_aborted_checkpoint_leaves_no_offsets_or_transactions) {
  auto rows = [&](const std::string& table) {
    auto db = sqlite_db::open(dir.file("job.db"));
    BOOST_TEST_REQUIRE(static_cast<bool>(db), failure_text(db));
    auto stmt = db->prepare("SELECT COUNT(*) FROM " + table);
    BOOST_TEST_REQUIRE(static_cast<bool>(stmt));
    auto row = stmt->step();
    BOOST_TEST_REQUIRE((row && *row));
    return stmt->column_int(0);
  };
  BOOST_TEST_REQUIRE(!store.begin(full(1), 1));
  BOOST_TEST_REQUIRE(!store.abort(checkpoint_id{1}));
  // The source's and the sink's snapshots were on their way.
  instance_image image;
  auto stamped = image.encode(stamp(full(1), "src"));
  BOOST_TEST_REQUIRE(!store.put_snapshot(checkpoint_id{1}, "src", 0,
                                         snapshot_kind::full, stamped, 42,
                                         std::nullopt));
  BOOST_TEST_REQUIRE(!store.put_snapshot(checkpoint_id{1}, "sink", 0,
                                         snapshot_kind::full, stamped,
                                         std::nullopt, std::string{"tx"}));
  BOOST_TEST(rows("snapshots") == 0);
  BOOST_TEST(rows("source_offsets") == 0);
  BOOST_TEST(rows("sink_transactions") == 0);
  // What a store written before left behind goes before the next run.
  {
    auto db = sqlite_db::open(dir.file("job.db"));
    BOOST_TEST_REQUIRE(static_cast<bool>(db), failure_text(db));
    BOOST_TEST_REQUIRE(
      !db->exec("INSERT INTO source_offsets VALUES(9, 'src', 0, 7); INSERT "
                "INTO sink_transactions VALUES('sink', 0, 9, "
                "'pre-committed', 'tx')"));
  }
  BOOST_TEST_REQUIRE(!store.discard_incomplete());
  BOOST_TEST(rows("source_offsets") == 0);
  BOOST_TEST(rows("sink_transactions") == 0);
}

BOOST_AUTO_TEST_SUITE_END()
