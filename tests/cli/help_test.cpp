#include "config/engine_options.hpp"
#include "tests/cli/cli_fixture.hpp"

#include <boost/test/unit_test.hpp>

using namespace sluice;
using namespace sluice::testing;

BOOST_AUTO_TEST_SUITE(help_tests)

BOOST_AUTO_TEST_CASE(
  help_lists_the_commands_and_every_setting_with_its_default) {
  auto r = run_sluice({"--help"});
  BOOST_TEST(r.code == 0);
  for (auto command : {"run", "validate", "checkpoints"})
    BOOST_TEST(contains(r.out, std::string{"\n  "} + command + " "), command);
  config::engine_settings defaults;
  for (auto& o : config::engine_options()) {
    BOOST_TEST_CONTEXT(o.section << "." << o.key) {
      // The key, then its default, on one line.
      auto at = r.out.find("    " + o.key + " ");
      BOOST_TEST_REQUIRE(at != std::string::npos);
      auto line = r.out.substr(at, r.out.find('\n', at) - at);
      BOOST_TEST(contains(line, " " + o.get(defaults) + " "));
    }
  }
}

BOOST_AUTO_TEST_CASE(each_command_has_help) {
  for (auto command : {"run", "validate", "checkpoints"}) {
    BOOST_TEST_CONTEXT(command) {
      auto r = run_sluice({command, "--help"});
      BOOST_TEST(r.code == 0);
      BOOST_TEST(
        contains(r.out, std::string{"usage: sluice "} + command + " JOB.ini"));
      BOOST_TEST(contains(r.out, "[checkpoints]"));
      auto same = run_sluice({"help", command});
      BOOST_TEST(same.out == r.out);
    }
  }
  BOOST_TEST(contains(run_sluice({"run", "--help"}).out, "SIGINT"));
}

BOOST_AUTO_TEST_CASE(a_bad_command_line_exits_with_2) {
  auto unknown = run_sluice({"frobnicate"});
  BOOST_TEST(unknown.code == 2);
  BOOST_TEST(contains(unknown.err, "sluice: unknown command 'frobnicate'"));
  auto no_file = run_sluice({"run"});
  BOOST_TEST(no_file.code == 2);
  BOOST_TEST(contains(no_file.err, "sluice run: no job file given"));
  auto bad_flag = run_sluice({"validate", "x.ini", "--fast"});
  BOOST_TEST(bad_flag.code == 2);
  BOOST_TEST(contains(bad_flag.err, "unknown option '--fast'"));
  auto version = run_sluice({"--version"});
  BOOST_TEST(version.code == 0);
  BOOST_TEST(contains(version.out, "sluice "));
}

BOOST_AUTO_TEST_SUITE_END()
