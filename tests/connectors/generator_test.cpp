#include "connectors/generator.hpp"

#include <boost/test/unit_test.hpp>

#include <set>
#include <vector>

using namespace sluice;

namespace {

auto make_pair_of = [](uint64_t index, uint64_t random) {
  return std::make_pair(index, random);
};

using record = std::pair<uint64_t, uint64_t>;

std::unique_ptr<protocol::output_router<record>> router() {
  auto r = std::make_unique<protocol::output_router<record>>(64);
  r->add_edge(std::make_unique<protocol::forward_writer<record>>());
  r->grant(0, 1u << 30);
  return r;
}

struct keep : protocol::batch_shipper {
  std::vector<record> records;
  void ship(uint32_t, protocol::record_payload&& xs) override {
    auto got = xs.take<record>();
    records.insert(records.end(), got->begin(), got->end());
  }
  void ship_barrier(uint32_t, const protocol::barrier_mark&) override {}
  void ship_latency_marker(uint32_t, int64_t) override {}
};

std::vector<record>
run(connectors::generator_instance<decltype(make_pair_of)>& g,
    uint64_t per_pull) {
  keep out;
  for (;;) {
    auto r = g.pull(per_pull);
    g.output().flush(protocol::flush_mode::everything, out);
    if (r.status == operators::pull_status::exhausted)
      return out.records;
  }
}

} // namespace

BOOST_AUTO_TEST_SUITE(generator_tests)

BOOST_AUTO_TEST_CASE(instances_share_the_indices_without_overlap) {
  auto spec = connectors::generate(100, 5, make_pair_of);
  std::set<uint64_t> seen;
  for (uint32_t i = 0; i < 3; ++i) {
    connectors::generator_instance<decltype(make_pair_of)> g{spec, i, 3,
                                                             router()};
    for (auto& [index, random] : run(g, 7)) {
      BOOST_TEST(index % 3 == i);
      BOOST_TEST(seen.insert(index).second);
    }
    BOOST_TEST(g.offset() == (i == 0 ? 34u : 33u));
  }
  BOOST_TEST(seen.size() == 100u);
}

BOOST_AUTO_TEST_CASE(records_depend_on_seed_and_index_only) {
  auto spec = connectors::generate(50, 9, make_pair_of);
  connectors::generator_instance<decltype(make_pair_of)> whole{spec, 0, 1,
                                                               router()};
  auto all = run(whole, 50);
  // Resume at offset 20 and get the same tail.
  connectors::generator_instance<decltype(make_pair_of)> resumed{spec, 0, 1,
                                                                 router()};
  resumed.seek(20);
  auto tail = run(resumed, 8);
  BOOST_TEST_REQUIRE(tail.size() == 30u);
  BOOST_TEST((std::vector<record>(all.begin() + 20, all.end()) == tail));
  // Another seed, other random numbers.
  auto other = connectors::generate(50, 10, make_pair_of);
  connectors::generator_instance<decltype(make_pair_of)> g{other, 0, 1,
                                                           router()};
  BOOST_TEST(run(g, 50)[0].second != all[0].second);
}

BOOST_AUTO_TEST_CASE(a_rate_limits_what_a_pull_returns) {
  // One record per 10 s: the first pull gets nothing and is told to wait.
  auto spec = connectors::generate(10, 1, make_pair_of);
  spec.rate(0.1);
  connectors::generator_instance<decltype(make_pair_of)> g{spec, 0, 1,
                                                           router()};
  auto r = g.pull(10);
  BOOST_TEST(r.records == 0u);
  BOOST_TEST((r.status == operators::pull_status::throttled));
  BOOST_TEST(r.retry_after.count() > 0);
}

BOOST_AUTO_TEST_SUITE_END()
