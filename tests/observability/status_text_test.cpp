#include "observability/status_text.hpp"

#include "tests/observability/sample_fixture.hpp"

#include <boost/test/unit_test.hpp>

using namespace sluice::observability;

namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

/// The line of `text` that starts with `prefix`; empty if none.
std::string line_starting(const std::string& text, const std::string& prefix) {
  auto at = text.find("\n" + prefix);
  if (at == std::string::npos)
    return {};
  auto end = text.find('\n', at + 1);
  return text.substr(at + 1, end - at - 1);
}

} // namespace

BOOST_AUTO_TEST_SUITE(status_text_tests)

BOOST_AUTO_TEST_CASE(pressure_follows_the_dashboard_thresholds) {
  BOOST_TEST(pressure_of(0.0) == pressure::calm);
  BOOST_TEST(pressure_of(0.099) == pressure::calm);
  BOOST_TEST(pressure_of(0.1) == pressure::busy);
  BOOST_TEST(pressure_of(0.49) == pressure::busy);
  BOOST_TEST(pressure_of(0.5) == pressure::saturated);
  BOOST_TEST(pressure_of(1.0) == pressure::saturated);
}

BOOST_AUTO_TEST_CASE(sizes_and_durations_read_like_the_dashboard) {
  BOOST_TEST(format_bytes(512) == "512 B");
  BOOST_TEST(format_bytes(1536) == "1.5 KiB");
  BOOST_TEST(format_bytes(3 * 1024 * 1024) == "3.0 MiB");
  BOOST_TEST(format_duration(0.00085) == "850 us");
  BOOST_TEST(format_duration(0.0123) == "12.3 ms");
  BOOST_TEST(format_duration(4.561) == "4.56 s");
}

BOOST_AUTO_TEST_CASE(the_picture_shows_instances_checkpoints_and_recoveries) {
  auto text = status_text(sluice::testing::example_sample());
  BOOST_TEST_MESSAGE(text);
  BOOST_TEST(contains(text, "job word \"count\": running, up 12.00 s"));
  auto src = line_starting(text, "lines ");
  BOOST_TEST(contains(src, " 1000 "));
  BOOST_TEST(contains(src, "90% saturated"));
  auto map1 = line_starting(text, "split\\words         1");
  BOOST_TEST(contains(map1, "20% busy"));
  BOOST_TEST(contains(map1, "192/1024"));
  BOOST_TEST(contains(line_starting(text, "sink "), "0% calm"));
  BOOST_TEST(contains(text, "lines -> split\\words (rebalance)"));
  BOOST_TEST(contains(text, "checkpoints: 2 completed (1 full, 1 incremental), "
                            "1 aborted, 4.5 KiB stored"));
  auto cp3 = line_starting(text, "         3");
  BOOST_TEST(contains(cp3, "delta"));
  BOOST_TEST(contains(cp3, "20.0 ms"));
  BOOST_TEST(contains(cp3, "2.0 ms"));
  BOOST_TEST(contains(line_starting(text, "         2"), "timed out"));
  BOOST_TEST(contains(text, "split\\words/1: restored checkpoint 1, resumed "
                            "after 150.0 ms, 300 records replayed"));
  BOOST_TEST(contains(text, "latency: p50 2.0 ms"));
}

BOOST_AUTO_TEST_CASE(instances_are_listed_in_dataflow_order) {
  auto s = sluice::testing::example_sample();
  std::swap(s.instances.front(), s.instances.back()); // sink first
  auto text = status_text(s);
  BOOST_TEST(text.find("\nlines ") < text.find("\nsink "));
}

BOOST_AUTO_TEST_CASE(a_job_without_checkpoints_or_recoveries_says_so) {
  job_sample s;
  s.job = "idle";
  s.done = true;
  auto text = status_text(s);
  BOOST_TEST(contains(text, "job idle: ended"));
  BOOST_TEST(contains(text, "checkpoints: 0 completed"));
  BOOST_TEST(contains(text, "recoveries: none"));
  BOOST_TEST(contains(text, "latency: not measured"));
  BOOST_TEST(!contains(text, "nodes:"));
}

BOOST_AUTO_TEST_CASE(nodes_are_listed_with_their_state) {
  auto text = status_text(sluice::testing::example_sample());
  BOOST_TEST(contains(text,
                      "nodes:\n"
                      "  worker_a (127.0.0.1:7001): up, 2 joins, 1 losses\n"
                      "  worker_b ([::1]:7002): down, 0 joins, 0 losses\n"),
             text);
}

BOOST_AUTO_TEST_SUITE_END()
