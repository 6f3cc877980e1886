#include "protocol/key_groups.hpp"

#include "protocol/key_hash.hpp"
#include "tests/support/caf_printing.hpp"

#include <boost/test/unit_test.hpp>

#include <string>
#include <utility>

using namespace sluice::protocol;

BOOST_AUTO_TEST_SUITE(key_groups_tests)

BOOST_AUTO_TEST_CASE(ranges_partition_the_groups_and_agree_with_instance_of) {
  for (uint32_t count : {1u, 7u, 128u, 1000u}) {
    key_groups groups{count};
    for (uint32_t p = 1; p <= std::min(count, 17u); ++p) {
      uint32_t next = 0;
      for (uint32_t i = 0; i < p; ++i) {
        auto range = groups.range_of(i, p);
        // Contiguous and in instance order (rule D8).
        BOOST_TEST(range.first == next);
        BOOST_TEST(range.size() >= count / p);
        BOOST_TEST(range.size() <= count / p + 1);
        for (auto g = range.first; g < range.last; ++g)
          BOOST_TEST_REQUIRE(groups.instance_of(g, p) == i);
        next = range.last;
      }
      BOOST_TEST(next == count);
    }
  }
}

BOOST_AUTO_TEST_CASE(key_hashes_are_pinned_across_builds) {
  // State is stored by key group: the hash must never change. These values
  // were computed once; a change here breaks every stored checkpoint.
  BOOST_TEST(key_hash<std::string>{}("") == 0xf52a15e9a9b5e89bULL);
  BOOST_TEST(key_hash<std::string>{}("sluice") == hash_bytes("sluice"));
  BOOST_TEST(key_hash<uint64_t>{}(0) == 0u);
  BOOST_TEST(key_hash<uint64_t>{}(1) == 0x5692161d100b05e5ULL);
  BOOST_TEST(key_hash<int>{}(1) == key_hash<uint64_t>{}(1));
}

BOOST_AUTO_TEST_CASE(pairs_hash_by_both_parts) {
  key_hash<std::pair<std::string, int>> h;
  BOOST_TEST(h({"a", 1}) != h({"a", 2}));
  BOOST_TEST(h({"a", 1}) != h({"b", 1}));
  BOOST_TEST(h({"a", 1}) == h({"a", 1}));
}

BOOST_AUTO_TEST_CASE(string_keys_spread_evenly_over_groups) {
  key_groups groups{128};
  std::vector<int> hits(128, 0);
  constexpr int keys = 128 * 200;
  for (int i = 0; i < keys; ++i)
    ++hits[groups.group_of(
      key_hash<std::string>{}("key-" + std::to_string(i)))];
  for (auto n : hits) {
    BOOST_TEST(n > 100); // expected 200 per group
    BOOST_TEST(n < 300);
  }
}

BOOST_AUTO_TEST_SUITE_END()
