#include "config/engine_options.hpp"
#include "config/job_spec.hpp"
#include "protocol/describe.hpp"
#include "tests/cli/cli_fixture.hpp"
#include "tests/support/failure_text.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <set>
#include <sstream>

using namespace sluice;
using namespace sluice::testing;

namespace {

/// The lines `sluice help stages` prints for stage type `name`: from its
/// heading "NAME (KIND): ..." to the blank line after it.
std::vector<std::string> block_of(const std::string& help,
                                  const std::string& name) {
  std::vector<std::string> lines;
  auto at = help.find("\n" + name + " (");
  if (at == std::string::npos)
    return lines;
  std::istringstream in{help.substr(at + 1)};
  for (std::string line; std::getline(in, line) && !line.empty();)
    lines.push_back(line);
  return lines;
}

/// The first word of `text`.
std::string first_word(const std::string& text) {
  std::istringstream in{text};
  std::string word;
  in >> word;
  return word;
}

/// The keys the help gives a stage type: `type`, those listed for its kind
/// ("  KIND: key key ...") and its own ("    key  meaning").
std::set<std::string> help_keys(const std::string& help,
                                const std::vector<std::string>& block) {
  std::set<std::string> keys{"type"};
  auto kind = block.front().substr(block.front().find('(') + 1);
  kind = kind.substr(0, kind.find(')'));
  auto at = help.find("\n  " + kind + ":");
  BOOST_TEST_REQUIRE(at != std::string::npos, kind);
  auto line = help.substr(at + 4 + kind.size(),
                          help.find('\n', at + 1) - at - 4 - kind.size());
  std::istringstream in{line};
  for (std::string key; in >> key;)
    keys.insert(key);
  for (auto& l : block)
    if (l.compare(0, 4, "    ") == 0)
      keys.insert(first_word(l));
  return keys;
}

/// The keys the job reader accepts for `type`, from the error it gives for
/// a key it does not know ("...; it knows type, input, ...").
std::set<std::string> reader_keys(cli_fixture& f, const std::string& type) {
  auto path = f.write("probe.ini",
                      "[stage.probe]\ntype = " + type + "\nno-such-key = 1\n");
  auto spec = config::read_job_file(path);
  BOOST_TEST_REQUIRE(!spec);
  auto text = protocol::describe(spec.error());
  auto at = text.find("it knows ");
  BOOST_TEST_REQUIRE(at != std::string::npos, text);
  std::set<std::string> keys;
  std::istringstream in{text.substr(at + 9)};
  for (std::string key; std::getline(in, key, ',');) {
    key.erase(0, key.find_first_not_of(' '));
    keys.insert(key);
  }
  return keys;
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(help_stages_tests, cli_fixture)

BOOST_AUTO_TEST_CASE(help_stages_lists_the_keys_the_job_reader_accepts) {
  auto r = run_sluice({"help", "stages"});
  BOOST_TEST_REQUIRE(r.code == 0);
  for (auto type : config::all_stage_types()) {
    auto name = config::to_string(type);
    BOOST_TEST_CONTEXT(name) {
      auto block = block_of(r.out, name);
      BOOST_TEST_REQUIRE(!block.empty());
      auto listed = help_keys(r.out, block);
      auto accepted = reader_keys(*this, name);
      BOOST_TEST(listed == accepted, boost::test_tools::per_element());
    }
  }
}

BOOST_AUTO_TEST_CASE(help_stages_lists_the_output_fields_the_job_reader_gives) {
  // One stage of each type whose fields do not depend on its input.
  write("input.txt", "a b\n");
  auto path = write("fields.ini", "[stage.lines]\ntype = file-source\n"
                                  "path = input.txt\n"
                                  "[stage.words]\ntype = split-words\n"
                                  "input = lines\n"
                                  "[stage.numbers]\ntype = generator\n"
                                  "[stage.out]\ntype = stdout\n"
                                  "input = words\n"
                                  "[stage.out2]\ntype = stdout\n"
                                  "input = numbers\n");
  auto spec = config::read_job_file(path);
  BOOST_TEST_REQUIRE(static_cast<bool>(spec), failure_text(spec));
  auto r = run_sluice({"help", "stages"});
  for (auto stage : {"lines", "words", "numbers"}) {
    auto& s = *spec->find(stage);
    BOOST_TEST_CONTEXT(s.type) {
      auto block = block_of(r.out, config::to_string(s.type));
      auto output = "  output: " + config::to_string(s.output);
      BOOST_TEST(std::count(block.begin(), block.end(), output) == 1);
    }
  }
}

BOOST_AUTO_TEST_CASE(help_points_to_the_stage_types) {
  BOOST_TEST(contains(run_sluice({"--help"}).out, "sluice help stages"));
  BOOST_TEST(
    contains(run_sluice({"validate", "--help"}).out, "sluice help stages"));
}

BOOST_AUTO_TEST_CASE(the_man_page_has_every_command_stage_type_and_setting) {
  auto r = run_sluice({"help", "man"});
  BOOST_TEST_REQUIRE(r.code == 0);
  BOOST_TEST(r.out.compare(0, 11, ".TH SLUICE ") == 0);
  for (auto command : {"run", "validate", "checkpoints", "status", "node"})
    BOOST_TEST(contains(r.out, std::string{".TP\n\\fB"} + command + "\\fR\n"),
               command);
  auto roff = [](std::string x) {
    std::string out;
    for (char c : x)
      out += c == '-' ? std::string{"\\-"} : std::string(1, c);
    return out;
  };
  for (auto type : config::all_stage_types())
    BOOST_TEST(contains(r.out, ".SS " + roff(config::to_string(type)) + " ("),
               type);
  for (auto& o : config::engine_options())
    BOOST_TEST(contains(r.out, ".TP\n\\fB" + roff(o.key) + "\\fR\n"), o.key);
}

BOOST_AUTO_TEST_SUITE_END()
