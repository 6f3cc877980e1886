#include "tests/cli/cli_fixture.hpp"
#include "tests/support/job_file_mutator.hpp"

#include <boost/test/unit_test.hpp>

#include <iostream>

using namespace sluice;
using namespace sluice::testing;

BOOST_FIXTURE_TEST_SUITE(job_file_fuzz_tests, cli_fixture)

BOOST_AUTO_TEST_CASE(validate_never_crashes_hangs_or_refuses_without_a_line) {
  // Fewer than the reader's in-process fuzz (config_tests): each mutant
  // costs a process, and this adds what only the command checks (the
  // engine's planning).
  auto run = fuzz_run::from_environment(17, 150);
  std::cerr << "job file fuzz (sluice validate): " << run.describe()
            << std::endl;
  copy_example("wordcount-input.txt");
  copy_example("sales.csv");
  std::vector<std::string> examples{read_example("wordcount.ini"),
                                    read_example("csv-aggregation.ini")};
  job_file_mutator mutator{run.seed};
  for (uint64_t i = 0; i < run.count; ++i) {
    auto [text, what] = mutator.mutate(examples[i % examples.size()]);
    auto path = write("mutant.ini", text);
    auto context = "mutant " + std::to_string(i) + " (" + what + "):\n" + text;
    auto r = run_sluice_within({"validate", path}, std::chrono::seconds{60});
    BOOST_TEST_REQUIRE((r.code == 0 || r.code == 2), r.ending()
                                                       << "\n"
                                                       << r.err << context);
    if (r.code == 2) {
      std::string prefix = "sluice validate: ";
      BOOST_TEST((r.err.rfind(prefix, 0) == 0
                  && names_file_and_line(r.err.substr(prefix.size()), path)),
                 r.err << context);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
