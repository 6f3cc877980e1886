#include "protocol/job_shape.hpp"

#include "protocol/bounded_input_archive.hpp"
#include "protocol/string_output_archive.hpp"
#include "tests/support/caf_printing.hpp"

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

using namespace sluice::protocol;

namespace {

/// numbers -> keyed -> count (p instances) -> out, under `groups` key
/// groups; `by` partitions the edge into count.
job_shape shape(uint32_t p = 2, uint32_t groups = 128,
                partitioning by = partitioning::hash,
                const std::type_info& counted = typeid(int)) {
  std::vector<stage_node> stages(3);
  stages[0].name = "numbers";
  stages[0].role = stage_role::source;
  stages[0].output_type = &counted;
  stages[1].name = "count";
  stages[1].role = stage_role::transform;
  stages[1].parallelism = p;
  stages[1].input_type = &counted;
  stages[1].output_type = &typeid(long);
  stages[1].inputs = {input_edge{"numbers", by}};
  stages[2].name = "out";
  stages[2].role = stage_role::sink;
  stages[2].input_type = &typeid(long);
  stages[2].inputs = {input_edge{"count", partitioning::rebalance}};
  auto t = plan_topology(stages, groups);
  BOOST_TEST_REQUIRE(static_cast<bool>(t));
  return shape_of(stages, *t, groups);
}

using lines = std::vector<std::string>;

} // namespace

BOOST_AUTO_TEST_SUITE(job_shape_tests)

BOOST_AUTO_TEST_CASE(the_same_graph_has_no_changes) {
  BOOST_TEST(changes(shape(), shape()).empty());
}

BOOST_AUTO_TEST_CASE(each_change_is_named) {
  BOOST_TEST(changes(shape(2), shape(1))
               == (lines{"stage 'count': parallelism 2, now 1"}),
             boost::test_tools::per_element());
  BOOST_TEST(changes(shape(2, 128), shape(2, 64))
               == (lines{"key groups 128, now 64"}),
             boost::test_tools::per_element());
  BOOST_TEST(changes(shape(2, 128, partitioning::hash),
                     shape(2, 128, partitioning::rebalance))
               == (lines{"stage 'count': inputs numbers by hash, now numbers "
                         "by rebalance"}),
             boost::test_tools::per_element());
  auto types = changes(shape(2, 128, partitioning::hash, typeid(int)),
                       shape(2, 128, partitioning::hash, typeid(double)));
  BOOST_TEST(types
               == (lines{"stage 'numbers': output records int, now double",
                         "stage 'count': input records int, now double"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(stages_added_and_removed_are_named) {
  auto before = shape();
  auto now = before;
  now.stages[2].name = "sink";
  BOOST_TEST(changes(before, now)
               == (lines{"stage 'sink' is new", "stage 'out' is gone"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_shape_round_trips_through_its_bytes) {
  auto x = shape(3, 64);
  std::string bytes;
  {
    string_output_archive ar{bytes};
    ar(x);
  }
  job_shape y;
  bounded_input_archive in{bytes};
  in(y);
  BOOST_TEST(changes(x, y).empty());
  BOOST_TEST(y.stages.at(1).parallelism == 3u);
  BOOST_TEST(y.key_groups == 64u);
}

BOOST_AUTO_TEST_SUITE_END()
