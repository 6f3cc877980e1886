#include "observability/prometheus_text.hpp"

#include "tests/observability/sample_fixture.hpp"
#include "tests/observability/scrape.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <vector>

using namespace sluice::observability;
using sluice::testing::scrape_sum;

namespace {

/// The text's lines, split; the last element is what followed the final
/// newline (empty when the text ends with one).
std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::string::size_type from = 0;
  for (auto nl = text.find('\n'); nl != std::string::npos;
       nl = text.find('\n', from)) {
    out.push_back(text.substr(from, nl - from));
    from = nl + 1;
  }
  out.push_back(text.substr(from));
  return out;
}

/// The family a sample line belongs to, given the families declared.
std::string family_of(const std::string& sample,
                      const std::map<std::string, std::string>& types) {
  auto name = sample.substr(0, sample.find_first_of("{ "));
  if (types.count(name))
    return name;
  for (auto suffix : {"_bucket", "_sum", "_count"}) {
    std::string s = suffix;
    if (name.size() > s.size()
        && name.compare(name.size() - s.size(), s.size(), s) == 0)
      return name.substr(0, name.size() - s.size());
  }
  return name;
}

} // namespace

BOOST_AUTO_TEST_SUITE(prometheus_text_tests)

BOOST_AUTO_TEST_CASE(label_values_are_escaped) {
  BOOST_TEST(escape_label_value("a\\b\"c\nd") == "a\\\\b\\\"c\\nd");
  BOOST_TEST(escape_label_value("plain") == "plain");
}

BOOST_AUTO_TEST_CASE(numbers_are_shortest_and_locale_free) {
  BOOST_TEST(format_number(0.1) == "0.1");
  BOOST_TEST(format_number(1234567) == "1234567");
  BOOST_TEST(format_number(1.5e-7) == "1.5e-07");
  BOOST_TEST(format_number(1.0 / 0.0) == "+Inf");
  BOOST_TEST(format_number(-1.0 / 0.0) == "-Inf");
  BOOST_TEST(format_number(0.0 / 0.0) == "NaN");
}

BOOST_AUTO_TEST_CASE(every_family_is_declared_once_and_kept_together) {
  auto text = prometheus_text(sluice::testing::example_sample());
  auto lines = lines_of(text);
  BOOST_TEST_REQUIRE(lines.back() == ""); // the body ends with a newline
  lines.pop_back();
  std::map<std::string, std::string> types;
  std::set<std::string> helped;
  std::set<std::string> series;
  std::string current;
  for (auto& l : lines) {
    BOOST_TEST_CONTEXT("line: " << l) {
      BOOST_TEST_REQUIRE(!l.empty());
      std::istringstream in{l};
      std::string hash, what, name;
      if (l.rfind("# HELP ", 0) == 0) {
        in >> hash >> what >> name;
        BOOST_TEST(helped.insert(name).second); // one HELP per family
        current = name;
      } else if (l.rfind("# TYPE ", 0) == 0) {
        std::string type;
        in >> hash >> what >> name >> type;
        BOOST_TEST(name == current); // TYPE right after its HELP
        BOOST_TEST(types.emplace(name, type).second);
      } else {
        BOOST_TEST(family_of(l, types) == current); // no split family
        BOOST_TEST(series.insert(l.substr(0, l.rfind(' '))).second);
        BOOST_TEST(l.find("{job=\"word \\\"count\\\"\"") != std::string::npos);
      }
    }
  }
  for (auto& [name, type] : types) {
    BOOST_TEST_CONTEXT(name) {
      auto counter
        = name.size() > 6 && name.compare(name.size() - 6, 6, "_total") == 0;
      BOOST_TEST(counter == (type == "counter"));
    }
  }
}

BOOST_AUTO_TEST_CASE(per_instance_families_carry_stage_and_instance) {
  auto text = prometheus_text(sluice::testing::example_sample());
  BOOST_TEST(
    scrape_sum(text, "sluice_records_in_total", {"stage=\"split\\\\words\""})
    == 1000);
  BOOST_TEST(scrape_sum(text, "sluice_records_out_total",
                        {"stage=\"split\\\\words\"", "instance=\"1\""})
             == 2500);
  BOOST_TEST(scrape_sum(text, "sluice_backpressured_ratio", {"stage=\"lines\""})
             == 0.9);
  BOOST_TEST(
    scrape_sum(text, "sluice_records_in_per_second", {"stage=\"sink\""})
    == 1000);
  BOOST_TEST(scrape_sum(text, "sluice_credit_granted_records") == 4 * 512);
  BOOST_TEST(
    scrape_sum(text, "sluice_backpressured_seconds_total", {"stage=\"sink\""})
    == 2.5);
}

BOOST_AUTO_TEST_CASE(checkpoint_histogram_is_cumulative_up_to_inf) {
  auto text = prometheus_text(sluice::testing::example_sample());
  auto bucket = [&](const std::string& le) {
    return scrape_sum(text, "sluice_checkpoint_duration_seconds_bucket",
                      {"le=\"" + le + "\""});
  };
  BOOST_TEST(bucket("0.01") == 0);
  BOOST_TEST(bucket("0.05") == 2);
  BOOST_TEST(bucket("+Inf") == 2);
  BOOST_TEST(scrape_sum(text, "sluice_checkpoint_duration_seconds_count") == 2);
  BOOST_TEST(scrape_sum(text, "sluice_checkpoint_duration_seconds_sum")
             == 0.06);
  BOOST_TEST(
    scrape_sum(text, "sluice_checkpoints_total", {"outcome=\"completed\""})
    == 2);
  BOOST_TEST(
    scrape_sum(text, "sluice_checkpoints_total", {"outcome=\"aborted\""}) == 1);
  BOOST_TEST(scrape_sum(text, "sluice_last_checkpoint_id") == 3);
  BOOST_TEST(scrape_sum(text, "sluice_last_checkpoint_full") == 0);
  BOOST_TEST(scrape_sum(text, "sluice_last_checkpoint_alignment_seconds")
             == 0.002);
}

BOOST_AUTO_TEST_CASE(recoveries_and_latency_are_exposed) {
  auto text = prometheus_text(sluice::testing::example_sample());
  BOOST_TEST(scrape_sum(text, "sluice_recoveries_total") == 1);
  BOOST_TEST(scrape_sum(text, "sluice_recovery_replayed_records_total") == 300);
  BOOST_TEST(scrape_sum(text, "sluice_last_recovery_resume_seconds") == 0.15);
  BOOST_TEST(scrape_sum(text, "sluice_latency_seconds", {"quantile=\"0.99\""})
             == 0.008192);
  BOOST_TEST(scrape_sum(text, "sluice_latency_seconds_count") == 100);
}

BOOST_AUTO_TEST_CASE(the_checkpoint_interval_is_exposed_with_its_reason) {
  auto s = sluice::testing::example_sample();
  BOOST_TEST(prometheus_text(s).find("sluice_checkpoint_interval_seconds")
             == std::string::npos);
  s.checkpoint_interval
    = {std::chrono::milliseconds(750), "replay_records", 3, 2};
  auto text = prometheus_text(s);
  BOOST_TEST(scrape_sum(text, "sluice_checkpoint_interval_seconds",
                        {"reason=\"replay_records\""})
             == 0.75);
  BOOST_TEST(scrape_sum(text, "sluice_checkpoint_interval_changes_total") == 3);
  BOOST_TEST(scrape_sum(text, "sluice_source_holds_total") == 2);
}

BOOST_AUTO_TEST_CASE(nodes_are_exposed_only_when_a_job_has_some) {
  auto s = sluice::testing::example_sample();
  auto text = prometheus_text(s);
  BOOST_TEST(scrape_sum(text, "sluice_node_up", {"node=\"worker_a\""}) == 1);
  BOOST_TEST(scrape_sum(text, "sluice_node_up", {"node=\"worker_b\""}) == 0);
  BOOST_TEST(scrape_sum(text, "sluice_node_joins_total") == 2);
  BOOST_TEST(
    scrape_sum(text, "sluice_node_losses_total", {"address=\"127.0.0.1:7001\""})
    == 1);
  s.nodes.clear();
  BOOST_TEST(prometheus_text(s).find("sluice_node_") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(promtool_accepts_the_page) {
  // promtool parses and lints (units, counter names, HELP texts); a
  // missing promtool fails here rather than skipping the check.
  std::string promtool = SLUICE_PROMTOOL;
  BOOST_TEST_REQUIRE(!promtool.empty(),
                     "promtool not found: run scripts/install-deps.sh");
  sluice::testing::temp_dir dir;
  for (bool empty : {false, true}) {
    BOOST_TEST_CONTEXT((empty ? "a job without figures" : "a busy job")) {
      job_sample s;
      if (!empty)
        s = sluice::testing::example_sample();
      auto file = dir.file("metrics.txt");
      std::ofstream{file} << prometheus_text(s);
      auto cmd = promtool + " check metrics < " + file + " > "
                 + dir.file("promtool.log") + " 2>&1";
      auto rc = std::system(cmd.c_str());
      std::ifstream log{dir.file("promtool.log")};
      std::string said{std::istreambuf_iterator<char>{log}, {}};
      BOOST_TEST(rc == 0, "promtool said: " << said);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
