#include "protocol/output_router.hpp"

#include "tests/support/caf_printing.hpp"

#include <boost/test/unit_test.hpp>

#include <map>
#include <string>
#include <vector>

using namespace sluice::protocol;

namespace {

/// Records what the router ships, per output slot.
struct recording_shipper : batch_shipper {
  std::vector<std::pair<uint32_t, std::vector<int>>> shipped;
  /// Per output, what left in order: "r" + count for a batch, "b" + id for
  /// a barrier.
  std::map<uint32_t, std::vector<std::string>> events;

  void ship(uint32_t output, record_payload&& records) override {
    auto xs = records.take<int>();
    BOOST_TEST_REQUIRE(static_cast<bool>(xs));
    events[output].push_back("r" + std::to_string(xs->size()));
    shipped.emplace_back(output, std::move(*xs));
  }

  void ship_barrier(uint32_t output, const barrier_mark& mark) override {
    events[output].push_back("b" + std::to_string(to_integer(mark.id)));
  }

  void ship_latency_marker(uint32_t output, int64_t origin_ns) override {
    events[output].push_back("m" + std::to_string(origin_ns));
  }

  std::vector<size_t> sizes() const {
    std::vector<size_t> result;
    for (auto& [slot, xs] : shipped)
      result.push_back(xs.size());
    return result;
  }
};

void stage(output_router<int>& router, int first, int count) {
  for (int i = first; i < first + count; ++i)
    router.staging().push_back(i);
  router.route();
}

struct identity {
  int operator()(int x) const { return x; }
};

} // namespace

BOOST_AUTO_TEST_SUITE(output_router_tests)

BOOST_AUTO_TEST_CASE(ships_full_batches_within_the_credit) {
  output_router<int> router{4};
  router.add_edge(std::make_unique<forward_writer<int>>());
  recording_shipper to;
  stage(router, 0, 10);
  // No credit yet: nothing leaves (rule D3), and a full batch is waiting.
  router.flush(flush_mode::full_batches, to);
  BOOST_TEST(to.shipped.empty());
  BOOST_TEST(router.saturated());
  router.grant(0, 6);
  router.flush(flush_mode::full_batches, to);
  // A full batch of 4, then the 2 records of credit left (never more).
  BOOST_TEST(to.sizes() == (std::vector<size_t>{4, 2}),
             boost::test_tools::per_element());
  BOOST_TEST(router.credit() == 0u);
  BOOST_TEST(router.buffered() == 4u);
  router.grant(0, 100);
  router.flush(flush_mode::full_batches, to);
  BOOST_TEST(router.buffered() == 0u);
  BOOST_TEST(router.shipped() == 10u);
  // Order within the channel is kept (rule D1).
  std::vector<int> all;
  for (auto& [slot, xs] : to.shipped)
    all.insert(all.end(), xs.begin(), xs.end());
  BOOST_TEST(all == (std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(many_batches_leave_in_order_around_a_barrier) {
  // One flush ships several batches out of one long buffer (a flat_map's
  // output), cut at the barrier, and keeps the partial rest.
  output_router<int> router{4};
  router.add_edge(std::make_unique<forward_writer<int>>());
  recording_shipper to;
  stage(router, 0, 10);
  router.emit_barrier(barrier_mark{checkpoint_id{1}, snapshot_kind::full}, to);
  stage(router, 10, 15);
  BOOST_TEST(to.shipped.empty()); // no credit yet
  router.grant(0, 1000);
  router.flush(flush_mode::full_batches, to);
  BOOST_TEST(
    to.events[0]
      == (std::vector<std::string>{"r4", "r4", "r2", "b1", "r4", "r4", "r4"}),
    boost::test_tools::per_element());
  BOOST_TEST(router.buffered() == 3u);
  router.flush(flush_mode::everything, to);
  std::vector<int> all;
  for (auto& [slot, xs] : to.shipped)
    all.insert(all.end(), xs.begin(), xs.end());
  std::vector<int> want(25);
  for (int i = 0; i < 25; ++i)
    want[static_cast<size_t>(i)] = i;
  BOOST_TEST(all == want, boost::test_tools::per_element());
  BOOST_TEST(router.shipped() == 25u);
}

BOOST_AUTO_TEST_CASE(partial_batches_leave_only_when_flushed_entirely) {
  output_router<int> router{8};
  router.add_edge(std::make_unique<forward_writer<int>>());
  router.grant(0, 100);
  recording_shipper to;
  stage(router, 0, 3);
  router.flush(flush_mode::full_batches, to);
  BOOST_TEST(to.shipped.empty());
  BOOST_TEST(!router.saturated());
  router.flush(flush_mode::everything, to); // the linger expired
  BOOST_TEST(to.sizes() == (std::vector<size_t>{3}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(hash_sends_equal_keys_to_the_same_channel) {
  output_router<int> router{1000};
  router.add_edge(std::make_unique<hash_writer<int, identity>>(
    3, key_groups{128}, identity{}));
  for (uint32_t slot = 0; slot < 3; ++slot)
    router.grant(slot, 1000);
  for (int round = 0; round < 3; ++round)
    stage(router, 0, 50);
  recording_shipper to;
  router.flush(flush_mode::everything, to);
  std::map<int, uint32_t> slot_of;
  size_t total = 0;
  for (auto& [slot, xs] : to.shipped) {
    total += xs.size();
    for (auto x : xs) {
      auto [pos, added] = slot_of.emplace(x, slot);
      BOOST_TEST(pos->second == slot);
      // ... and it is the slot its key group maps to.
      key_groups groups{128};
      BOOST_TEST(slot
                 == groups.instance_of(groups.group_of(key_hash<int>{}(x)), 3));
    }
  }
  BOOST_TEST(total == 150u);
  BOOST_TEST(slot_of.size() == 50u);
}

BOOST_AUTO_TEST_CASE(broadcast_and_rebalance_spread_as_named) {
  output_router<int> router{100};
  router.add_edge(std::make_unique<broadcast_writer<int>>(2));
  router.add_edge(std::make_unique<rebalance_writer<int>>(3, 0));
  for (uint32_t slot = 0; slot < 5; ++slot)
    router.grant(slot, 100);
  stage(router, 0, 6);
  recording_shipper to;
  router.flush(flush_mode::everything, to);
  std::map<uint32_t, std::vector<int>> by_slot;
  for (auto& [slot, xs] : to.shipped)
    by_slot[slot] = xs;
  // Slots 0-1: broadcast, every record; slots 2-4: round robin.
  BOOST_TEST(by_slot[0] == (std::vector<int>{0, 1, 2, 3, 4, 5}),
             boost::test_tools::per_element());
  BOOST_TEST(by_slot[1] == (std::vector<int>{0, 1, 2, 3, 4, 5}),
             boost::test_tools::per_element());
  BOOST_TEST(by_slot[2] == (std::vector<int>{0, 3}),
             boost::test_tools::per_element());
  BOOST_TEST(by_slot[3] == (std::vector<int>{1, 4}),
             boost::test_tools::per_element());
  BOOST_TEST(by_slot[4] == (std::vector<int>{2, 5}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_single_channel_takes_the_whole_batch_without_copying) {
  // Hash and rebalance edges to one consumer instance behave like forward:
  // the batch's storage itself goes on.
  std::vector<std::unique_ptr<edge_writer<int>>> writers;
  writers.push_back(std::make_unique<hash_writer<int, identity>>(
    1, key_groups{128}, identity{}));
  writers.push_back(std::make_unique<rebalance_writer<int>>(1, 0));
  for (auto& writer : writers) {
    channel_buffer<int> channel;
    std::vector<int> records{1, 2, 3};
    auto* storage = records.data();
    writer->route(records, &channel, true);
    BOOST_TEST(channel.pending.data() == storage);
    BOOST_TEST(records.empty());
    // Not the last edge: the records are copied and stay with the caller.
    std::vector<int> more{4, 5};
    writer->route(more, &channel, false);
    BOOST_TEST(more == (std::vector<int>{4, 5}),
               boost::test_tools::per_element());
    BOOST_TEST(channel.pending == (std::vector<int>{1, 2, 3, 4, 5}),
               boost::test_tools::per_element());
  }
}

BOOST_AUTO_TEST_CASE(barriers_leave_behind_the_records_before_them) {
  output_router<int> router{4};
  router.add_edge(std::make_unique<broadcast_writer<int>>(2));
  recording_shipper to;
  stage(router, 0, 6);
  // No credit: the barrier waits behind 6 records on each channel (C2).
  router.emit_barrier(barrier_mark{checkpoint_id{1}, snapshot_kind::full}, to);
  stage(router, 6, 2);
  BOOST_TEST(to.events.empty());
  router.grant(0, 5);
  router.flush(flush_mode::full_batches, to);
  // 4, then the 1 record of credit left; the barrier still waits.
  BOOST_TEST(to.events[0] == (std::vector<std::string>{"r4", "r1"}),
             boost::test_tools::per_element());
  router.grant(0, 10);
  router.flush(flush_mode::full_batches, to);
  // The last record before the barrier leaves without waiting for a full
  // batch, then the barrier, which needs no credit; the 2 records after it
  // wait for a full batch or the linger.
  BOOST_TEST(to.events[0] == (std::vector<std::string>{"r4", "r1", "r1", "b1"}),
             boost::test_tools::per_element());
  router.flush(flush_mode::everything, to);
  BOOST_TEST(to.events[0].back() == "r2");
  // Channel 1 got no credit: nothing left, the barrier included.
  BOOST_TEST(to.events.count(1) == 0u);
  BOOST_TEST(router.buffered() == 8u);
}

BOOST_AUTO_TEST_CASE(latency_markers_take_turns_and_wait_behind_records) {
  output_router<int> router{4};
  router.add_edge(std::make_unique<broadcast_writer<int>>(2));
  recording_shipper to;
  router.grant(0, 100);
  router.grant(1, 100);
  stage(router, 0, 2);
  // D9: one channel per marker, in turn, behind the records already there.
  router.emit_latency_marker(7, to);
  router.emit_latency_marker(8, to);
  BOOST_TEST(to.events.empty()); // 2 records ahead, not a full batch yet
  router.flush(flush_mode::everything, to);
  BOOST_TEST(to.events[0] == (std::vector<std::string>{"r2", "m7"}),
             boost::test_tools::per_element());
  BOOST_TEST(to.events[1] == (std::vector<std::string>{"r2", "m8"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_barrier_on_an_empty_channel_leaves_at_once) {
  output_router<int> router{4};
  router.add_edge(std::make_unique<forward_writer<int>>());
  recording_shipper to;
  router.emit_barrier(barrier_mark{checkpoint_id{3}, snapshot_kind::delta}, to);
  BOOST_TEST(to.events[0] == (std::vector<std::string>{"b3"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()
