#include "protocol/job_graph.hpp"

#include "protocol/describe.hpp"
#include "protocol/errc.hpp"
#include "tests/support/caf_printing.hpp"

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

using namespace sluice::protocol;

namespace {

stage_node source(std::string name, uint32_t p = 1) {
  stage_node s;
  s.name = std::move(name);
  s.role = stage_role::source;
  s.parallelism = p;
  s.output_type = &typeid(int);
  return s;
}

stage_node transform(std::string name, std::vector<input_edge> inputs,
                     uint32_t p = 1) {
  stage_node s;
  s.name = std::move(name);
  s.role = stage_role::transform;
  s.parallelism = p;
  s.input_type = &typeid(int);
  s.output_type = &typeid(int);
  s.inputs = std::move(inputs);
  return s;
}

stage_node sink(std::string name, std::vector<input_edge> inputs,
                uint32_t p = 1) {
  auto s = transform(std::move(name), std::move(inputs), p);
  s.role = stage_role::sink;
  s.output_type = nullptr;
  return s;
}

/// The error `plan_topology` reports, with its code checked.
std::string rejection(const std::vector<stage_node>& stages, errc code) {
  auto result = plan_topology(stages, 128);
  BOOST_TEST_REQUIRE(!result);
  BOOST_TEST(result.error() == code);
  return describe(result.error());
}

bool mentions(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

} // namespace

BOOST_AUTO_TEST_SUITE(job_graph_tests)

BOOST_AUTO_TEST_CASE(a_cycle_is_rejected_naming_its_stages) {
  auto text = rejection({source("src"), transform("a", {{"src"}, {"b"}}),
                         transform("b", {{"a"}}), sink("out", {{"b"}})},
                        errc::cycle);
  BOOST_TEST(mentions(text, "'a' -> 'b' -> 'a'"), text);
}

BOOST_AUTO_TEST_CASE(a_stage_without_input_is_rejected) {
  auto text = rejection(
    {source("src"), transform("lonely", {}), sink("out", {{"src"}})},
    errc::missing_input);
  BOOST_TEST(mentions(text, "'lonely' has no input"), text);
}

BOOST_AUTO_TEST_CASE(an_edge_to_an_unknown_stage_is_rejected) {
  auto text = rejection({source("src"), sink("out", {{"nowhere"}})},
                        errc::unknown_stage);
  BOOST_TEST(mentions(text, "'out' reads from 'nowhere'"), text);
}

BOOST_AUTO_TEST_CASE(a_parallelism_of_zero_is_rejected) {
  auto text = rejection(
    {source("src"), transform("map", {{"src"}}, 0), sink("out", {{"map"}})},
    errc::zero_parallelism);
  BOOST_TEST(mentions(text, "'map'"), text);
}

BOOST_AUTO_TEST_CASE(a_batch_size_of_zero_is_rejected) {
  auto map = transform("map", {{"src"}});
  map.batch_size = 0;
  auto text = rejection({source("src"), map, sink("out", {{"map"}})},
                        errc::zero_batch_size);
  BOOST_TEST(mentions(text, "'map'"), text);
}

BOOST_AUTO_TEST_CASE(other_mistakes_are_rejected_naming_the_stage) {
  BOOST_TEST(mentions(
    rejection({source("x"), sink("x", {{"x"}})}, errc::duplicate_stage),
    "'x' is declared twice"));
  auto strings = sink("out", {{"src"}});
  strings.input_type = &typeid(std::string);
  BOOST_TEST(mentions(rejection({source("src"), strings}, errc::type_mismatch),
                      "'out' reads records of type std::string but 'src' "
                      "produces int"));
  BOOST_TEST(mentions(
    rejection({source("src", 2), sink("out", {{"src", partitioning::forward}})},
              errc::parallelism_mismatch),
    "'out' (parallelism 1) cannot read forward from 'src'"));
  auto tight = sink("out", {{"src"}});
  tight.budget = 2;
  BOOST_TEST(
    mentions(rejection({source("src", 3), tight}, errc::budget_too_small),
             "'out': budget of 2 records"));
  auto fed = source("src2");
  fed.inputs = {{"src"}};
  BOOST_TEST(mentions(rejection({source("src"), fed, sink("out", {{"src2"}})},
                                errc::unexpected_input),
                      "'src2' is a source"));
  BOOST_TEST(mentions(
    rejection({source("src"), sink("a", {{"src"}}), sink("b", {{"a"}})},
              errc::type_mismatch),
    "a sink without output"));
}

BOOST_AUTO_TEST_CASE(a_budget_without_a_full_batch_per_input_is_rejected) {
  // Rule D4: three channels into `out` (rebalance from three instances),
  // batches of 1024: each exclusive share needs 1024 records.
  auto out = sink("out", {{"src"}});
  out.budget = 3 * 1024 - 1;
  BOOST_TEST(
    rejection({source("src", 3), out}, errc::budget_too_small)
    == "stage 'out': budget of 3071 records cannot give each of its 3 input "
       "channels a full batch; it needs at least 3072 (3 x 1024); raise the "
       "budget or lower the batch size");
  out.budget = 3 * 1024;
  BOOST_TEST(static_cast<bool>(plan_topology({source("src", 3), out}, 128)));
  // The producers' batch size counts, not the consumer's; with producers
  // of different sizes, the largest (shares are equal).
  auto small = source("src", 3);
  small.batch_size = 100;
  out.budget = 300;
  out.batch_size = 4096;
  BOOST_TEST(static_cast<bool>(plan_topology({small, out}, 128)));
  auto large = source("large");
  large.batch_size = 200;
  auto both = sink("out", {{"src"}, {"large"}});
  both.budget = 4 * 200 - 1;
  BOOST_TEST(mentions(rejection({small, large, both}, errc::budget_too_small),
                      "needs at least 800 (4 x 200)"));
  both.budget = 4 * 200;
  BOOST_TEST(static_cast<bool>(plan_topology({small, large, both}, 128)));
  // One channel needs one batch.
  auto single = sink("out", {{"src"}});
  single.budget = 1000;
  BOOST_TEST(rejection({source("src"), single}, errc::budget_too_small)
             == "stage 'out': budget of 1000 records cannot give its input "
                "channel a full batch; it needs at least 1024 (1 x 1024); "
                "raise the budget or lower the batch size");
  // The defaults (budget 16384, batches of 1024) hold 16 channels.
  BOOST_TEST(static_cast<bool>(
    plan_topology({source("src", 16), sink("out", {{"src"}})}, 128)));
  BOOST_TEST(mentions(rejection({source("src", 17), sink("out", {{"src"}})},
                                errc::budget_too_small),
                      "needs at least 17408 (17 x 1024)"));
}

BOOST_AUTO_TEST_CASE(channels_pair_up_output_and_input_slots) {
  // src(2) --hash--> count(3) --forward--> out(3), and src --broadcast-->
  // log(1)
  auto count = transform("count", {{"src", partitioning::hash}}, 3);
  auto out = sink("out", {{"count"}}, 3);
  auto log = sink("log", {{"src", partitioning::broadcast}}, 1);
  auto result = plan_topology({source("src", 2), count, out, log}, 128);
  BOOST_TEST_REQUIRE(static_cast<bool>(result));
  auto& t = *result;
  BOOST_TEST(t.order.front() == 0u); // the source comes first
  // Each source instance: 3 hash channels, then 1 broadcast channel.
  for (uint32_t u = 0; u < 2; ++u) {
    auto& outs = t.instances[0][u].outputs;
    BOOST_TEST_REQUIRE(outs.size() == 4u);
    for (uint32_t d = 0; d < 3; ++d)
      BOOST_TEST((outs[d] == channel_end{1, d, u}));
    BOOST_TEST((outs[3] == channel_end{3, 0, u}));
  }
  // Forward: count instance i feeds out instance i only.
  for (uint32_t i = 0; i < 3; ++i) {
    BOOST_TEST_REQUIRE(t.instances[1][i].outputs.size() == 1u);
    BOOST_TEST((t.instances[1][i].outputs[0] == channel_end{2, i, 0}));
    BOOST_TEST((t.instances[2][i].inputs[0] == channel_end{1, i, 0}));
  }
  // Every channel is known at both ends with matching slots.
  for (uint32_t s = 0; s < t.instances.size(); ++s)
    for (uint32_t i = 0; i < t.instances[s].size(); ++i)
      for (uint32_t slot = 0; slot < t.instances[s][i].outputs.size(); ++slot) {
        auto& o = t.instances[s][i].outputs[slot];
        BOOST_TEST((t.instances[o.stage][o.instance].inputs[o.slot]
                    == channel_end{s, i, slot}));
      }
}

BOOST_AUTO_TEST_CASE(default_partitioning_depends_on_parallelism) {
  auto equal
    = plan_topology({source("src", 2), sink("out", {{"src"}}, 2)}, 128);
  BOOST_TEST_REQUIRE(static_cast<bool>(equal));
  BOOST_TEST(equal->edges[0].by == partitioning::forward);
  auto unequal
    = plan_topology({source("src", 2), sink("out", {{"src"}}, 3)}, 128);
  BOOST_TEST_REQUIRE(static_cast<bool>(unequal));
  BOOST_TEST(unequal->edges[0].by == partitioning::rebalance);
}

BOOST_AUTO_TEST_SUITE_END()
