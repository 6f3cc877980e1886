#include "protocol/describe.hpp"
#include "state/errc.hpp"
#include "state/keyed_map_state.hpp"
#include "state/keyed_value_state.hpp"
#include "state/operator_value_state.hpp"
#include "state/state_registry.hpp"
#include "tests/support/caf_printing.hpp"

#include <boost/test/unit_test.hpp>

#include <map>
#include <random>
#include <string>

using namespace sluice;
using namespace sluice::state;
using protocol::snapshot_kind;

namespace {

/// What an image of `s` encodes to, as stored.
template <class State>
state_section image_of(State& s, snapshot_kind kind) {
  auto image = s.take_image("s", kind);
  return state_section{image->name(), image->kind(), image->encode()};
}

template <class K, class V>
std::map<K, V> contents(const keyed_value_state<K, V>& s) {
  std::map<K, V> result;
  s.for_each([&](const K& k, const V& v) { result[k] = v; });
  return result;
}

} // namespace

BOOST_AUTO_TEST_SUITE(keyed_state_tests)

BOOST_AUTO_TEST_CASE(delta_holds_only_changed_and_deleted_keys) {
  keyed_value_state<std::string, uint64_t> s;
  for (int i = 0; i < 1000; ++i)
    s.put("k" + std::to_string(i), i);
  auto full = image_of(s, snapshot_kind::full);
  s.put("k1", 100);
  s.erase("k2");
  *s.find("k3") += 1;
  BOOST_TEST(s.get("k4") != nullptr); // reading is no change
  BOOST_TEST(s.changed() == 3u);
  auto delta = image_of(s, snapshot_kind::delta);
  BOOST_TEST(delta.bytes.size() * 50 < full.bytes.size());
  keyed_value_state<std::string, uint64_t> restored;
  BOOST_TEST(!restored.apply(full, "full"));
  BOOST_TEST(!restored.apply(delta, "delta"));
  BOOST_TEST((contents(restored) == contents(s)));
  BOOST_TEST(restored.get("k2") == nullptr);
  BOOST_TEST(*restored.get("k1") == 100u);
}

BOOST_AUTO_TEST_CASE(incremental_chain_restore_equals_full_restore) {
  keyed_value_state<uint64_t, std::string> s;
  std::mt19937_64 rng{3};
  std::vector<state_section> chain{image_of(s, snapshot_kind::full)};
  for (int round = 0; round < 20; ++round) {
    for (int i = 0; i < 200; ++i) {
      auto k = rng() % 500;
      switch (rng() % 3) {
      case 0:
        s.put(k, std::to_string(rng()));
        break;
      case 1:
        s.erase(k);
        break;
      default:
        if (auto v = s.find(k))
          *v += "+";
      }
    }
    chain.push_back(image_of(s, snapshot_kind::delta));
  }
  keyed_value_state<uint64_t, std::string> from_chain;
  for (auto& section : chain)
    BOOST_TEST_REQUIRE(!from_chain.apply(section, "chain"));
  keyed_value_state<uint64_t, std::string> from_full;
  BOOST_TEST_REQUIRE(
    !from_full.apply(image_of(s, snapshot_kind::full), "full"));
  BOOST_TEST((contents(from_chain) == contents(from_full)));
  BOOST_TEST((contents(from_full) == contents(s)));
  BOOST_TEST(from_full.size() == s.size());
}

BOOST_AUTO_TEST_CASE(full_images_stay_whole_through_erases_and_restores) {
  // A full image visits a list of all entries kept beside the map: erasing
  // (first, last and middle entries) and restoring must keep it exact.
  std::mt19937_64 rng{7};
  keyed_value_state<uint64_t, uint64_t> s;
  for (uint64_t k = 0; k < 300; ++k)
    s.put(k, k);
  s.erase(0);
  s.erase(299);
  s.erase(150);
  auto check = [](keyed_value_state<uint64_t, uint64_t>& x) {
    keyed_value_state<uint64_t, uint64_t> copy;
    BOOST_TEST_REQUIRE(!copy.apply(image_of(x, snapshot_kind::full), "full"));
    BOOST_TEST((contents(copy) == contents(x)));
    BOOST_TEST(copy.size() == x.size());
  };
  check(s);
  // Restored from a full image and a delta with deletes, then changed.
  keyed_value_state<uint64_t, uint64_t> restored;
  BOOST_TEST_REQUIRE(!restored.apply(image_of(s, snapshot_kind::full), "full"));
  for (int i = 0; i < 400; ++i) {
    auto k = rng() % 400;
    if (rng() % 2 == 0)
      s.erase(k);
    else
      s.put(k, rng());
  }
  BOOST_TEST_REQUIRE(
    !restored.apply(image_of(s, snapshot_kind::delta), "delta"));
  BOOST_TEST((contents(restored) == contents(s)));
  for (uint64_t k = 0; k < 400; k += 3)
    restored.erase(k);
  restored.put(1000, 1);
  check(restored);
}

BOOST_AUTO_TEST_CASE(map_state_tracks_entries_within_a_key) {
  keyed_map_state<std::string, int, std::string> s;
  for (int i = 0; i < 100; ++i)
    s.put("user", i, "v" + std::to_string(i));
  auto full = image_of(s, snapshot_kind::full);
  s.put("user", 5, "changed");
  s.erase("user", 7);
  s.put("other", 1, "x");
  auto delta = image_of(s, snapshot_kind::delta);
  BOOST_TEST(delta.bytes.size() * 10 < full.bytes.size());
  keyed_map_state<std::string, int, std::string> restored;
  BOOST_TEST(!restored.apply(full, "full"));
  BOOST_TEST(!restored.apply(delta, "delta"));
  BOOST_TEST_REQUIRE(restored.entries("user") != nullptr);
  BOOST_TEST((*restored.entries("user") == *s.entries("user")));
  BOOST_TEST(*restored.get("user", 5) == "changed");
  BOOST_TEST(restored.get("user", 7) == nullptr);
  BOOST_TEST(*restored.get("other", 1) == "x");
  s.clear("user");
  BOOST_TEST(!restored.apply(image_of(s, snapshot_kind::delta), "clear"));
  BOOST_TEST(restored.entries("user") == nullptr);
  BOOST_TEST(restored.size() == 1u);
}

BOOST_AUTO_TEST_CASE(operator_state_is_whole_in_every_image) {
  operator_value_state<std::vector<int>> s;
  s.value() = {1, 2, 3};
  auto image = image_of(s, snapshot_kind::delta);
  BOOST_TEST(image.kind == snapshot_kind::full);
  operator_value_state<std::vector<int>> restored;
  BOOST_TEST(!restored.apply(image, "op"));
  BOOST_TEST(restored.value() == (std::vector<int>{1, 2, 3}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(registry_rejects_a_state_it_does_not_declare) {
  state_registry registry;
  auto& counts = registry.make<keyed_value_state<int, int>>("counts");
  counts.put(1, 2);
  instance_image image;
  registry.take_images(snapshot_kind::full, image);
  instance_snapshot stored;
  for (auto& s : image.sections)
    stored.sections.push_back({s->name(), s->kind(), s->encode()});
  state_registry other;
  other.make<keyed_value_state<int, int>>("totals");
  auto err = other.restore({stored}, "stage 'x' instance 0");
  BOOST_TEST(err == errc::state_mismatch);
  BOOST_TEST(protocol::describe(err)
             == "stage 'x' instance 0: the snapshot holds state 'counts', "
                "which the operator does not declare");
  state_registry same;
  auto& again = same.make<keyed_value_state<int, int>>("counts");
  BOOST_TEST(!same.restore({stored}, "x"));
  BOOST_TEST(*again.get(1) == 2);
}

BOOST_AUTO_TEST_CASE(garbage_is_a_corrupt_snapshot_not_a_crash) {
  keyed_value_state<std::string, uint64_t> s;
  auto err
    = s.apply(state_section{"s", snapshot_kind::full,
                            std::string("\xff\xff\xff\xff\xff\xff\xff\x7f", 8)},
              "stage 'count'");
  BOOST_TEST(err == errc::corrupt_snapshot);
}

BOOST_AUTO_TEST_SUITE_END()
