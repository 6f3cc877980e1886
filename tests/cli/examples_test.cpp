#include "tests/cli/cli_fixture.hpp"

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <map>
#include <sstream>

using namespace sluice;
using namespace sluice::testing;

namespace {

/// The latest value per key of a "key<TAB>value" changelog.
std::map<std::string, std::string> latest(const std::string& text) {
  std::map<std::string, std::string> result;
  std::istringstream in{text};
  for (std::string line; std::getline(in, line);) {
    auto tab = line.find('\t');
    result[line.substr(0, tab)] = line.substr(tab + 1);
  }
  return result;
}

/// The checkpoint id after `prefix` in `text` ("final checkpoint 7").
uint64_t number_after(const std::string& text, const std::string& prefix) {
  auto at = text.find(prefix);
  BOOST_TEST_REQUIRE(at != std::string::npos,
                     "no '" << prefix << "' in " << text);
  return std::stoull(text.substr(at + prefix.size()));
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(examples_tests, cli_fixture)

BOOST_AUTO_TEST_CASE(the_examples_validate) {
  for (auto example : {"wordcount.ini", "csv-aggregation.ini"}) {
    BOOST_TEST_CONTEXT(example) {
      auto r = run_sluice(
        {"validate", std::string{SLUICE_SOURCE_DIR} + "/config/" + example});
      BOOST_TEST(r.code == 0, r.err);
      BOOST_TEST(contains(r.out, "\nvalid\n"));
    }
  }
  auto r = run_sluice(
    {"validate", std::string{SLUICE_SOURCE_DIR} + "/config/wordcount.ini"});
  BOOST_TEST(contains(r.out, "counts (count x2) <- by-word [hash by word]"));
  BOOST_TEST(contains(r.out, "-> word:text, count:integer"));
}

BOOST_AUTO_TEST_CASE(the_wordcount_example_counts_its_input_and_resumes) {
  auto job = copy_example("wordcount.ini");
  copy_example("wordcount-input.txt");
  std::map<std::string, std::string> want;
  {
    std::map<std::string, int> counts;
    std::istringstream in{read("wordcount-input.txt")};
    for (std::string word; in >> word;)
      ++counts[word];
    for (auto& [w, n] : counts)
      want[w] = std::to_string(n);
  }
  auto first = run_sluice({"run", job});
  BOOST_TEST_REQUIRE(first.code == 0, first.err);
  BOOST_TEST(contains(first.err, "sluice: job 'wordcount' started"));
  BOOST_TEST(contains(first.err, "sluice: job 'wordcount' finished after"));
  BOOST_TEST((latest(read("wordcount-counts.tsv")) == want));
  auto last = number_after(first.err, "last checkpoint ");
  // The store lists the final checkpoint, newest first.
  auto listed = run_sluice({"checkpoints", job});
  BOOST_TEST(listed.code == 0, listed.err);
  BOOST_TEST(contains(listed.out, "\n" + std::to_string(last) + " "));
  BOOST_TEST(contains(listed.out, "full"));
  // A second run resumes from it: the input was read, nothing changes.
  auto output = read("wordcount-counts.tsv");
  auto second = run_sluice({"run", job});
  BOOST_TEST_REQUIRE(second.code == 0, second.err);
  BOOST_TEST(contains(second.err, "(resumed from checkpoint "
                                    + std::to_string(last) + ")"));
  BOOST_TEST(read("wordcount-counts.tsv") == output);
}

BOOST_AUTO_TEST_CASE(the_csv_aggregation_example_fills_its_tables) {
  auto job = copy_example("csv-aggregation.ini");
  copy_example("sales.csv");
  // The expected figures, from the CSV itself.
  std::map<std::string, double> revenue;
  std::map<std::string, double> largest;
  std::istringstream in{read("sales.csv")};
  std::string line;
  std::getline(in, line); // the header
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::istringstream cols{line};
    for (std::string c; std::getline(cols, c, ',');)
      f.push_back(c);
    auto amount = std::stod(f[4]);
    if (amount <= 0)
      continue;
    revenue[f[1]] += amount;
    largest[f[2]] = std::max(largest[f[2]], amount);
  }
  auto r = run_sluice({"run", job});
  BOOST_TEST_REQUIRE(r.code == 0, r.err);
  auto table = [&](const std::string& sql) {
    std::map<std::string, double> result;
    for (auto& row : rows("sales.db", sql)) {
      auto bar = row.find('|');
      result[row.substr(0, bar)] = std::stod(row.substr(bar + 1));
    }
    return result;
  };
  auto got = table("SELECT region, revenue FROM revenue_by_region");
  BOOST_TEST_REQUIRE(got.size() == revenue.size());
  for (auto& [region, sum] : revenue)
    BOOST_TEST(std::abs(got[region] - sum) < 1e-9, region);
  BOOST_TEST((table("SELECT product, largest_sale FROM largest_sale_by_product")
              == largest));
  // Both sinks committed their final checkpoint.
  BOOST_TEST(rows("sales.db", "SELECT COUNT(*) FROM sluice_sink_commits")
               == std::vector<std::string>{"2"},
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()
