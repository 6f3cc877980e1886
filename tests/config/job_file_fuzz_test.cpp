#include "config/job_spec.hpp"
#include "protocol/describe.hpp"
#include "tests/config/job_file_fixture.hpp"
#include "tests/support/job_file_mutator.hpp"

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

using namespace sluice;
using namespace sluice::testing;

namespace {

std::string read_text(const std::string& path) {
  std::ifstream in{path, std::ios::binary};
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// The example job files of config/, with the inputs they read, copied
/// into the fixture's folder (the reader checks that inputs exist).
std::vector<std::string> copy_examples(const temp_dir& dir) {
  std::string from = std::string{SLUICE_SOURCE_DIR} + "/config/";
  for (auto name : {"wordcount-input.txt", "sales.csv"})
    std::filesystem::copy_file(from + name, dir.file(name));
  std::vector<std::string> texts;
  for (auto name : {"wordcount.ini", "csv-aggregation.ini"})
    texts.push_back(read_text(from + name));
  return texts;
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(job_file_fuzz_tests, job_file_fixture)

BOOST_AUTO_TEST_CASE(mutated_examples_are_read_or_refused_with_file_and_line) {
  auto run = fuzz_run::from_environment(17, 3000);
  std::cerr << "job file fuzz (reader): " << run.describe() << std::endl;
  auto examples = copy_examples(dir);
  job_file_mutator mutator{run.seed};
  uint64_t valid = 0;
  uint64_t refused = 0;
  for (uint64_t i = 0; i < run.count; ++i) {
    auto [text, what] = mutator.mutate(examples[i % examples.size()]);
    auto path = write("mutant.ini", text);
    auto context = "mutant " + std::to_string(i) + " (" + what + "):\n" + text;
    try {
      auto spec = config::read_job_file(path);
      if (spec) {
        ++valid;
        continue;
      }
      ++refused;
      auto message = protocol::describe(spec.error());
      BOOST_TEST(names_file_and_line(message, path), message << "\n"
                                                             << context);
    } catch (const std::exception& e) {
      BOOST_ERROR("the reader threw " << e.what() << "\n" << context);
    }
  }
  std::cerr << "job file fuzz (reader): " << valid << " valid, " << refused
            << " refused" << std::endl;
  // The mutations reach both outcomes, or the test tests little.
  BOOST_TEST(valid > 0u);
  BOOST_TEST(refused > 0u);
}

BOOST_AUTO_TEST_SUITE_END()
