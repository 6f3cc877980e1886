#include "sluice.hpp"
#include "tests/support/actor_system_fixture.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>

using namespace sluice;
using sluice::testing::actor_system_fixture;
using sluice::testing::failure_text;
using sluice::testing::temp_dir;

namespace {

/// Random text: words from a small vocabulary, irregular spacing.
std::string random_text(size_t lines, uint64_t seed) {
  std::mt19937_64 rng{seed};
  std::string text;
  for (size_t i = 0; i < lines; ++i) {
    auto words = rng() % 15;
    for (size_t w = 0; w < words; ++w) {
      text += std::string(1 + rng() % 3, ' ');
      text += "w" + std::to_string(rng() % 300);
    }
    text += '\n';
  }
  return text;
}

/// The reference: counted without the engine.
std::map<std::string, uint64_t> count_words(const std::string& text) {
  std::map<std::string, uint64_t> counts;
  std::istringstream in{text};
  std::string word;
  while (in >> word)
    ++counts[word];
  return counts;
}

void split_words(const std::string& line, emitter<std::string>& out) {
  std::istringstream in{line};
  std::string word;
  while (in >> word)
    out(word);
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(wordcount_tests, actor_system_fixture)

BOOST_AUTO_TEST_CASE(wordcount_equals_an_independent_count) {
  temp_dir dir;
  auto text = random_text(20000, 11);
  std::ofstream{dir.file("input.txt")} << text;
  job_builder job{"wordcount"};
  job.source("lines", file_lines{dir.file("input.txt")})
    .flat_map<std::string>("split", split_words)
    .parallelism(1)
    .key_by([](const std::string& w) { return w; })
    .count("count")
    .parallelism(3)
    .write_lines("out", dir.file("counts.tsv"))
    .parallelism(3);
  auto report = job.run(sys);
  BOOST_TEST_REQUIRE(static_cast<bool>(report), failure_text(report));
  // Three files, one per sink instance: the latest line per word wins.
  std::map<std::string, uint64_t> got;
  for (int i = 0; i < 3; ++i) {
    std::ifstream in{dir.file("counts-" + std::to_string(i) + ".tsv")};
    BOOST_TEST_REQUIRE(in.good());
    std::string word;
    uint64_t n = 0;
    while (in >> word >> n)
      got[word] = n;
  }
  auto want = count_words(text);
  BOOST_TEST(got.size() == want.size());
  BOOST_TEST((got == want));
  BOOST_TEST(report->records_out("lines") == 20000u);
}

BOOST_AUTO_TEST_SUITE_END()
