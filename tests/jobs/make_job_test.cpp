#include "jobs/make_job.hpp"

#include "config/job_spec.hpp"
#include "tests/support/actor_system_fixture.hpp"
#include "tests/support/caf_printing.hpp"
#include "tests/support/failure_text.hpp"
#include "tests/support/sqlite_rows.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

using namespace sluice;
using sluice::testing::actor_system_fixture;
using sluice::testing::failure_text;
using sluice::testing::temp_dir;

namespace {

struct fixture : actor_system_fixture {
  temp_dir dir;

  void write(const std::string& name, const std::string& text) {
    std::ofstream{dir.file(name)} << text;
  }

  /// Reads job.ini (written from `text`) and runs it to its end.
  job_report run(const std::string& text) {
    write("job.ini", text);
    auto spec = sluice::config::read_job_file(dir.file("job.ini"));
    BOOST_TEST_REQUIRE(static_cast<bool>(spec), failure_text(spec));
    auto report = jobs::make_job(*spec).run(sys);
    BOOST_TEST_REQUIRE(static_cast<bool>(report), failure_text(report));
    return *report;
  }

  std::vector<std::string> lines(const std::string& name) {
    std::ifstream in{dir.file(name)};
    std::vector<std::string> result;
    for (std::string line; std::getline(in, line);)
      result.push_back(line);
    return result;
  }

  /// Rows of a query, each as "a|b|c".
  std::vector<std::string> query(const std::string& db,
                                 const std::string& sql) {
    return sluice::testing::sqlite_rows(dir.file(db), sql);
  }
};

/// The latest value per key of a "key<TAB>value" changelog.
std::map<std::string, std::string>
latest(const std::vector<std::string>& lines) {
  std::map<std::string, std::string> result;
  for (auto& line : lines) {
    auto tab = line.find('\t');
    result[line.substr(0, tab)] = line.substr(tab + 1);
  }
  return result;
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(make_job_tests, fixture)

BOOST_AUTO_TEST_CASE(a_word_count_counts_every_word) {
  std::string text;
  std::map<std::string, int> expected;
  for (int i = 0; i < 3000; ++i) {
    auto word = "w" + std::to_string(i * i % 97);
    text += word + (i % 7 == 6 ? "\n" : " ");
    ++expected[word];
  }
  write("input.txt", text);
  run("[stage.lines]\ntype = file-source\npath = input.txt\n"
      "[stage.words]\ntype = split-words\ninput = lines\n"
      "[stage.by-word]\ntype = key-by\ninput = words\nfield = word\n"
      "[stage.counts]\ntype = count\ninput = by-word\nparallelism = 2\n"
      "[stage.out]\ntype = file-sink\ninput = counts\npath = counts.tsv\n");
  std::map<std::string, std::string> want;
  for (auto& [w, n] : expected)
    want[w] = std::to_string(n);
  BOOST_TEST((latest(lines("counts.tsv")) == want));
}

BOOST_AUTO_TEST_CASE(json_lines_filtered_and_summed_reach_sqlite) {
  write("events.jsonl",
        R"({"user": "ann", "ms": 120, "ok": true}
{"user": "bob", "ms": 40, "ok": true}
{"user": "ann", "ms": 300}
not json at all
{"user": "cy", "ms": 5}
{"user": "bob", "ms": 70}
)");
  auto report
    = run("[stage.lines]\ntype = file-source\npath = events.jsonl\n"
          "[stage.events]\ntype = extract-json\ninput = lines\n"
          "fields = user, ms:integer\non-error = skip\n"
          "[stage.slow]\ntype = filter\ninput = events\n"
          "field = ms\nop = >=\nvalue = 40\n"
          "[stage.by-user]\ntype = key-by\ninput = slow\nfield = user\n"
          "[stage.total]\ntype = sum\ninput = by-user\nfield = ms\n"
          "as = total_ms\n"
          "[stage.longest]\ntype = max\ninput = by-user\nfield = ms\n"
          "[stage.totals]\ntype = sqlite-sink\ninput = total\n"
          "path = out.db\ntable = totals\nkey = user\n"
          "[stage.maxima]\ntype = file-sink\ninput = longest\n"
          "path = maxima.tsv\n");
  BOOST_TEST(report.records_out("events") == 5u); // the broken line skipped
  BOOST_TEST(report.records_in("total") == 4u);   // cy's 5 ms filtered out
  BOOST_TEST((query("out.db", "SELECT user, total_ms FROM totals ORDER BY user")
              == std::vector<std::string>{"ann|420", "bob|110"}),
             boost::test_tools::per_element());
  BOOST_TEST(
    (latest(lines("maxima.tsv"))
     == std::map<std::string, std::string>{{"ann", "300"}, {"bob", "70"}}));
}

BOOST_AUTO_TEST_CASE(skipped_records_are_counted_per_stage_in_the_metrics) {
  write("events.csv", "user,ms\nann,120\nbob,slow\ncy\ndee,5\n");
  write("job.ini", "[stage.lines]\ntype = file-source\npath = events.csv\n"
                   "[stage.events]\ntype = extract-csv\ninput = lines\n"
                   "fields = user, ms:integer\non-error = skip\n"
                   "[stage.out]\ntype = file-sink\ninput = events\n"
                   "path = out.tsv\n");
  auto spec = sluice::config::read_job_file(dir.file("job.ini"));
  BOOST_TEST_REQUIRE(static_cast<bool>(spec), failure_text(spec));
  auto handle = jobs::make_job(*spec).start(sys);
  BOOST_TEST_REQUIRE(static_cast<bool>(handle), failure_text(handle));
  auto report = handle->wait();
  BOOST_TEST_REQUIRE(static_cast<bool>(report), failure_text(report));
  // The header, "slow" and the line without a second column.
  BOOST_TEST(report->records_skipped("events") == 3u);
  BOOST_TEST(
    handle->metrics().sum("events", &actors::instance_metrics::records_skipped)
    == 3u);
  BOOST_TEST(report->records_skipped("out") == 0u);
  BOOST_TEST(
    (lines("out.tsv") == std::vector<std::string>{"ann\t120", "dee\t5"}));
}

BOOST_AUTO_TEST_CASE(generated_records_are_counted_in_windows) {
  // Every record lands in some window: the counts add up to the records,
  // whatever windows processing time made.
  run("[stage.numbers]\ntype = generator\ncount = 20000\nvalues = 7\n"
      "parallelism = 2\n"
      "[stage.by-value]\ntype = key-by\ninput = numbers\nfield = value\n"
      "[stage.windows]\ntype = window-count\ninput = by-value\nsize = 50ms\n"
      "parallelism = 2\n"
      "[stage.out]\ntype = sqlite-sink\ninput = windows\npath = w.db\n"
      "table = windows\nkey = window_start, value\n");
  BOOST_TEST((query("w.db", "SELECT SUM(count), COUNT(DISTINCT value), "
                            "SUM(window_start % 50) FROM windows")
              == std::vector<std::string>{"20000|7|0"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()
