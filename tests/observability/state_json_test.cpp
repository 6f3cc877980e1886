#include "observability/state_json.hpp"

#include "observability/errc.hpp"
#include "tests/observability/durations.hpp"
#include "tests/observability/sample_fixture.hpp"
#include "tests/support/caf_printing.hpp"

#include <boost/test/unit_test.hpp>

using namespace sluice::observability;
using sluice::testing::ms;

BOOST_AUTO_TEST_SUITE(state_json_tests)

BOOST_AUTO_TEST_CASE(what_is_written_reads_back_the_same) {
  auto s = sluice::testing::example_sample();
  auto back = parse_state_json(state_json(s));
  BOOST_TEST_REQUIRE(static_cast<bool>(back));
  BOOST_TEST(back->job == s.job);
  BOOST_TEST(back->sequence == 7u);
  BOOST_TEST(ms(back->window) == ms(s.window));
  BOOST_TEST_REQUIRE(back->graph.stages.size() == 3u);
  BOOST_TEST(back->graph.stages[1].name == "split\\words");
  BOOST_TEST(to_string(back->graph.stages[0].role) == "source");
  BOOST_TEST_REQUIRE(back->graph.edges.size() == 2u);
  BOOST_TEST(back->graph.edges[1].by == sluice::protocol::partitioning::hash);
  BOOST_TEST_REQUIRE(back->instances.size() == 4u);
  for (size_t i = 0; i < s.instances.size(); ++i) {
    auto& x = s.instances[i];
    auto& y = back->instances[i];
    BOOST_TEST_CONTEXT(x.stage << "/" << x.instance) {
      BOOST_TEST(y.stage == x.stage);
      BOOST_TEST(y.records_in == x.records_in);
      BOOST_TEST(y.records_out == x.records_out);
      BOOST_TEST(y.credit_granted == x.credit_granted);
      BOOST_TEST(y.rate_in == x.rate_in);
      BOOST_TEST(y.backpressured_share == x.backpressured_share);
      BOOST_TEST(ms(y.backpressured) == ms(x.backpressured));
    }
  }
  BOOST_TEST(back->checkpoint_total.completed == 2u);
  BOOST_TEST(back->checkpoint_total.bytes == 4608u);
  BOOST_TEST_REQUIRE(back->checkpoints.size() == 3u);
  BOOST_TEST(!back->checkpoints[0].alignment.has_value());
  BOOST_TEST(back->checkpoints[2].alignment.has_value());
  BOOST_TEST(back->checkpoints[1].stats.reason == "timed out");
  BOOST_TEST(back->checkpoints[2].stats.kind
             == sluice::protocol::snapshot_kind::delta);
  BOOST_TEST_REQUIRE(back->recoveries.size() == 1u);
  BOOST_TEST(back->recoveries[0].reason == "injected fault\non a record");
  BOOST_TEST(ms(back->recoveries[0].time_to_resume)
             == ms(s.recoveries[0].time_to_resume));
  BOOST_TEST_REQUIRE(back->nodes.size() == 2u);
  BOOST_TEST(back->nodes[0].name == "worker_a");
  BOOST_TEST(back->nodes[0].up);
  BOOST_TEST(back->nodes[0].joins == 2u);
  BOOST_TEST(back->nodes[0].losses == 1u);
  BOOST_TEST(back->nodes[1].address == "[::1]:7002");
  BOOST_TEST(!back->nodes[1].up);
  BOOST_TEST(ms(back->latency.p99) == ms(s.latency.p99));
}

BOOST_AUTO_TEST_CASE(a_document_of_something_else_is_rejected) {
  for (auto text : {"", "{", "{\"job\": 1}", "[1, 2]", "<html></html>"}) {
    BOOST_TEST_CONTEXT(text) {
      auto s = parse_state_json(text);
      BOOST_TEST_REQUIRE(!s);
      BOOST_TEST(s.error() == errc::bad_response);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
