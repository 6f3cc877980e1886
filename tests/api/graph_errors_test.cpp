#include "sluice.hpp"
#include "tests/support/actor_system_fixture.hpp"

#include <boost/test/unit_test.hpp>

#include <string>

using namespace sluice;
using sluice::testing::actor_system_fixture;
using sluice::testing::failure_text;

namespace {

auto numbers() {
  return generate(10, 1, [](uint64_t i, uint64_t) { return i; });
}

auto identity = [](uint64_t x) { return x; };

} // namespace

BOOST_FIXTURE_TEST_SUITE(graph_errors_tests, actor_system_fixture)

/// Starts `job` expecting the error `text`, and checks that no actor ran.
void expect_rejection(caf::actor_system& sys, const job_builder& job,
                      const std::string& text) {
  auto before = sys.registry().running();
  auto handle = job.start(sys);
  BOOST_TEST_REQUIRE(!static_cast<bool>(handle));
  BOOST_TEST(describe(handle.error()) == text);
  BOOST_TEST(sys.registry().running() == before);
}

BOOST_AUTO_TEST_CASE(a_cycle_is_rejected_before_any_actor_starts) {
  job_builder job{"cycle"};
  auto src = job.source("src", numbers());
  // "a" reads from "src" and from "b"; "b" reads from "a".
  stage_decl a;
  a.node.name = "a";
  a.node.input_type = &typeid(uint64_t);
  a.node.output_type = &typeid(uint64_t);
  a.node.inputs = {{"src", {}}, {"b", {}}};
  a.routes = {nullptr, nullptr};
  job.add_stage(a);
  job.stream_of<uint64_t>("a").map("b", identity).collect("out");
  expect_rejection(sys, job, "stages form a cycle: 'a' -> 'b' -> 'a'");
}

BOOST_AUTO_TEST_CASE(a_stage_without_input_is_rejected) {
  job_builder job{"no input"};
  job.source("src", numbers()).collect("out");
  stage_decl orphan;
  orphan.node.name = "orphan";
  orphan.node.input_type = &typeid(uint64_t);
  job.add_stage(orphan);
  expect_rejection(sys, job, "stage 'orphan' has no input");
}

BOOST_AUTO_TEST_CASE(an_edge_to_an_unknown_stage_is_rejected) {
  job_builder job{"unknown"};
  job.source("src", numbers());
  job.stream_of<uint64_t>("srcc").collect("out");
  expect_rejection(sys, job,
                   "stage 'out' reads from 'srcc', which does not exist");
}

BOOST_AUTO_TEST_CASE(a_parallelism_of_zero_is_rejected) {
  job_builder job{"zero"};
  job.source("src", numbers())
    .map("map", identity)
    .parallelism(0)
    .collect("out");
  expect_rejection(sys, job, "stage 'map': parallelism must be at least 1");
}

BOOST_AUTO_TEST_CASE(a_batch_size_of_zero_is_rejected) {
  job_builder job{"zero batch"};
  job.source("src", numbers())
    .map("map", identity)
    .batch_size(0)
    .collect("out");
  expect_rejection(sys, job,
                   "stage 'map': batch size must be at least 1 record");
  job_builder whole{"zero batch everywhere"};
  whole.settings().batch_size = 0;
  whole.source("src", numbers()).collect("out");
  expect_rejection(sys, whole,
                   "job 'zero batch everywhere': batch size must be at least "
                   "1 record");
}

BOOST_AUTO_TEST_CASE(mismatched_types_and_parallelism_are_rejected) {
  job_builder job{"types"};
  job.source("src", numbers());
  job.stream_of<std::string>("src").collect("out");
  expect_rejection(sys, job,
                   "stage 'out' reads records of type std::string but 'src' "
                   "produces unsigned long");
  job_builder files{"files"};
  files.source("lines", file_lines{"/dev/null"}).parallelism(2).collect("out");
  expect_rejection(sys, files,
                   "stage 'lines': parallelism 2 exceeds the 1 this source "
                   "supports");
}

BOOST_AUTO_TEST_CASE(nodes_without_networking_are_rejected) {
  job_builder job{"spread"};
  job.settings().cluster.nodes.push_back(
    {"worker_a", "127.0.0.1", 7001, {"job.ini", 3}});
  job.source("src", numbers()).collect("out");
  expect_rejection(sys, job,
                   "job 'spread' has nodes, but its actor system has no "
                   "networking: load caf::io::middleman");
}

BOOST_AUTO_TEST_SUITE_END()
