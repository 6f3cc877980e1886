#include "sluice.hpp"
#include "tests/support/actor_system_fixture.hpp"

#include <boost/test/unit_test.hpp>

#include <map>
#include <set>
#include <vector>

using namespace sluice;
using sluice::testing::actor_system_fixture;
using sluice::testing::failure_text;

namespace {

/// (producer instance, sequence number within that producer).
using tagged = std::pair<uint64_t, uint64_t>;

/// `p` instances, record i of the job tagged with its producer (i % p) and
/// its position in that producer's stream (i / p).
auto tagged_records(uint64_t n, uint32_t p) {
  return generate(n, 3, [p](uint64_t i, uint64_t) {
    return tagged{i % p, i / p};
  });
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(partitioning_tests, actor_system_fixture)

BOOST_AUTO_TEST_CASE(hash_sends_equal_keys_to_the_same_instance) {
  job_builder job{"hash"};
  auto out = job
               .source("src", generate(20000, 3,
                                       [](uint64_t i, uint64_t) { return i; }))
               .parallelism(2)
               .key_by([](uint64_t x) { return x % 101; })
               .collect("sink");
  out.parallelism(3);
  auto report = job.run(sys);
  BOOST_TEST_REQUIRE(static_cast<bool>(report), failure_text(report));
  auto parts = out->by_instance();
  BOOST_TEST_REQUIRE(parts.size() == 3u);
  std::map<uint64_t, size_t> owner;
  size_t total = 0;
  protocol::key_groups groups{job.settings().key_groups};
  for (size_t i = 0; i < parts.size(); ++i) {
    BOOST_TEST(!parts[i].empty());
    total += parts[i].size();
    for (auto x : parts[i]) {
      auto [pos, added] = owner.emplace(x % 101, i);
      BOOST_TEST_REQUIRE(pos->second == i); // one instance per key
      auto group = groups.group_of(protocol::key_hash<uint64_t>{}(x % 101));
      BOOST_TEST_REQUIRE(groups.instance_of(group, 3) == i);
    }
  }
  BOOST_TEST(total == 20000u);
  BOOST_TEST(owner.size() == 101u);
}

BOOST_AUTO_TEST_CASE(order_is_kept_per_channel) {
  // Two producers feeding three consumers by hash: every consumer sees each
  // producer's records for a key in the order the producer sent them.
  job_builder job{"order"};
  job.settings().batch_size = 16; // many batches, many chances to reorder
  auto out = job.source("src", tagged_records(30000, 2))
               .parallelism(2)
               .key_by([](const tagged& x) { return x.second % 13; })
               .map("pass", [](const tagged& x) { return x; })
               .parallelism(3)
               .forward()
               .collect("sink");
  out.parallelism(3);
  auto report = job.run(sys);
  BOOST_TEST_REQUIRE(static_cast<bool>(report), failure_text(report));
  size_t total = 0;
  for (auto& part : out->by_instance()) {
    std::map<uint64_t, int64_t> last; // producer -> last sequence number
    for (auto& [producer, seq] : part) {
      auto it = last.find(producer);
      if (it != last.end())
        BOOST_TEST_REQUIRE(static_cast<int64_t>(seq) > it->second);
      last[producer] = static_cast<int64_t>(seq);
    }
    total += part.size();
  }
  BOOST_TEST(total == 30000u);
}

BOOST_AUTO_TEST_CASE(broadcast_reaches_every_instance) {
  job_builder job{"broadcast"};
  auto out = job
               .source("src", generate(1000, 1,
                                       [](uint64_t i, uint64_t) { return i; }))
               .broadcast()
               .collect("sink");
  out.parallelism(3);
  auto report = job.run(sys);
  BOOST_TEST_REQUIRE(static_cast<bool>(report), failure_text(report));
  for (auto& part : out->by_instance()) {
    BOOST_TEST_REQUIRE(part.size() == 1000u);
    for (uint64_t i = 0; i < 1000; ++i)
      BOOST_TEST_REQUIRE(part[i] == i);
  }
}

BOOST_AUTO_TEST_CASE(rebalance_spreads_records_evenly) {
  job_builder job{"rebalance"};
  auto out = job
               .source("src", generate(9001, 1,
                                       [](uint64_t i, uint64_t) { return i; }))
               .rebalance()
               .collect("sink");
  out.parallelism(3);
  auto report = job.run(sys);
  BOOST_TEST_REQUIRE(static_cast<bool>(report), failure_text(report));
  auto parts = out->by_instance();
  BOOST_TEST_REQUIRE(parts.size() == 3u);
  BOOST_TEST(parts[0].size() == 3001u);
  BOOST_TEST(parts[1].size() == 3000u);
  BOOST_TEST(parts[2].size() == 3000u);
}

BOOST_AUTO_TEST_SUITE_END()
