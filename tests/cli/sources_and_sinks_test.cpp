#include "tests/cli/cli_fixture.hpp"

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>

using namespace sluice;
using namespace sluice::testing;

namespace {

/// Copies its input file's lines to lines.txt, with checkpoints, so that
/// each run resumes where the last one ended.
constexpr const char* copy_job = "[checkpoints]\n"
                                 "store = copy.db\n"
                                 "[stage.lines]\n"
                                 "type = file-source\n"
                                 "path = input.txt\n"
                                 "[stage.out]\n"
                                 "type = file-sink\n"
                                 "input = lines\n"
                                 "path = lines.txt\n";

struct fixture : cli_fixture {
  void append(const std::string& name, const std::string& text) {
    std::ofstream{dir.file(name), std::ios::app} << text;
  }

  /// Reads JSON lines, extracting `user` (text) and `n` (integer).
  std::string json_job(const std::string& on_error) {
    return write("job.ini", "[stage.lines]\ntype = file-source\n"
                            "path = input.jsonl\n"
                            "[stage.parse]\ntype = extract-json\n"
                            "input = lines\nfields = user, n:integer\n"
                            "on-error = "
                              + on_error
                              + "\n"
                                "[stage.out]\ntype = file-sink\n"
                                "input = parse\npath = users.tsv\n");
  }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(sources_and_sinks_tests, fixture)

BOOST_AUTO_TEST_CASE(a_last_line_without_its_break_is_one_record_after_resume) {
  write("input.txt", "one\ntw");
  auto job = write("job.ini", copy_job);
  auto first = run_sluice({"run", job});
  BOOST_TEST_REQUIRE(first.code == 0, first.err);
  // The end of a bounded input: the open last line counts.
  BOOST_TEST(read("lines.txt") == "one\ntw\n");
  // Its line break arrives, and a line after it: one record more, not an
  // empty one for the rest of the old line.
  append("input.txt", "\nthree\n");
  auto second = run_sluice({"run", job});
  BOOST_TEST_REQUIRE(second.code == 0, second.err);
  BOOST_TEST(read("lines.txt") == "one\ntw\nthree\n");
}

BOOST_AUTO_TEST_CASE(a_last_line_that_grew_after_it_went_out_is_refused) {
  write("input.txt", "one\ntw");
  auto job = write("job.ini", copy_job);
  BOOST_TEST_REQUIRE(run_sluice({"run", job}).code == 0);
  append("input.txt", "o\nthree\n");
  auto r = run_sluice({"run", job});
  BOOST_TEST(r.code == 1);
  BOOST_TEST(contains(r.err, "line 2 of '" + dir.file("input.txt")
                               + "' went out without its line break"),
             r.err);
  // Nothing of the grown line was written as a record of its own.
  BOOST_TEST(read("lines.txt") == "one\ntw\n");
}

BOOST_AUTO_TEST_CASE(an_input_that_shrank_or_was_replaced_is_refused) {
  write("input.txt", "alpha\nbeta\ngamma\n");
  auto job = write("job.ini", copy_job);
  BOOST_TEST_REQUIRE(run_sluice({"run", job}).code == 0);
  // Lines appended: the job reads on.
  append("input.txt", "delta\n");
  auto grown = run_sluice({"run", job});
  BOOST_TEST_REQUIRE(grown.code == 0, grown.err);
  BOOST_TEST(read("lines.txt") == "alpha\nbeta\ngamma\ndelta\n");
  // Cut back below the position the checkpoint reached.
  write("input.txt", "alpha\n");
  auto shrunk = run_sluice({"run", job});
  BOOST_TEST(shrunk.code == 1);
  BOOST_TEST(contains(shrunk.err, "'" + dir.file("input.txt")
                                    + "' has 6 bytes, but the checkpoint "
                                      "read it up to byte 23 (line 4)"),
             shrunk.err);
  // Replaced by another file, longer than the old one.
  write("input.txt", "ALPHA\nBETA\nGAMMA\nDELTA\nEPSILON\n");
  auto replaced = run_sluice({"run", job});
  BOOST_TEST(replaced.code == 1);
  BOOST_TEST(
    contains(replaced.err, "'" + dir.file("input.txt")
                             + "' differs from the file the checkpoint read up "
                               "to byte 23 (line 4)"),
    replaced.err);
  BOOST_TEST(read("lines.txt") == "alpha\nbeta\ngamma\ndelta\n");
  // Starting afresh reads the new file.
  auto fresh = run_sluice({"run", job, "--fresh"});
  BOOST_TEST_REQUIRE(fresh.code == 0, fresh.err);
  BOOST_TEST(read("lines.txt") == "ALPHA\nBETA\nGAMMA\nDELTA\nEPSILON\n");
}

BOOST_AUTO_TEST_CASE(a_deeply_nested_json_line_is_skipped_or_fails_the_job) {
  // Far deeper than a recursive walk survives on a thread's stack.
  auto deep = R"({"user": "deep", "n": 1, "x": )" + std::string(100000, '[')
              + std::string(100000, ']') + "}";
  write("input.jsonl", R"({"user": "ann", "n": 1})"
                       "\n"
                         + deep + "\n" + R"({"user": "bob", "n": 2})" + "\n");
  auto skipped = run_sluice({"run", json_job("skip")});
  BOOST_TEST_REQUIRE(skipped.code == 0, skipped.err);
  BOOST_TEST(read("users.tsv") == "ann\t1\nbob\t2\n");
  BOOST_TEST(contains(skipped.err, dir.file("input.jsonl")
                                     + ":2: not a JSON object: nesting "
                                       "deeper than 512 levels"),
             skipped.err);
  auto failed = run_sluice({"run", json_job("fail")});
  BOOST_TEST(failed.code == 1);
  BOOST_TEST(contains(failed.err, "nesting deeper than 512 levels"),
             failed.err);
}

BOOST_AUTO_TEST_CASE(skipped_records_are_counted_and_the_first_logged) {
  std::string text;
  for (int i = 1; i <= 10; ++i)
    text += i % 3 == 0 ? "{\"user\": \"u" + std::to_string(i)
                           + "\", \"n\": " + std::to_string(i) + "}\n"
                       : "bad line " + std::to_string(i) + "\n";
  write("input.jsonl", text);
  auto r = run_sluice({"run", json_job("skip")});
  BOOST_TEST_REQUIRE(r.code == 0, r.err);
  BOOST_TEST(read("users.tsv") == "u3\t3\nu6\t6\nu9\t9\n");
  // Seven skipped; the first five are logged with file and line.
  BOOST_TEST(contains(r.err, "7 skipped by 'parse'"), r.err);
  auto input = dir.file("input.jsonl");
  for (int line : {1, 2, 4, 5, 7})
    BOOST_TEST(
      contains(r.err, "stage 'parse' instance 0/1 skipped a record: " + input
                        + ":" + std::to_string(line) + ": not a JSON object"),
      r.err);
  for (int line : {8, 10})
    BOOST_TEST(!contains(r.err, input + ":" + std::to_string(line) + ":"),
               r.err);
  BOOST_TEST(contains(r.err, "skips more records; they are only counted"),
             r.err);
}

BOOST_AUTO_TEST_CASE(tabs_and_line_breaks_in_fields_stay_in_their_line) {
  write("input.jsonl", R"({"user": "tab\there", "n": 1})"
                       "\n"
                       R"({"user": "two\nlines \\ end", "n": 2})"
                       "\n");
  auto r = run_sluice({"run", json_job("fail")});
  BOOST_TEST_REQUIRE(r.code == 0, r.err);
  BOOST_TEST(read("users.tsv") == "tab\\there\t1\ntwo\\nlines \\\\ end\t2\n");
  // A tab-separated extraction reads the fields back as they were.
  auto again = write("again.ini", "[stage.lines]\ntype = file-source\n"
                                  "path = users.tsv\n"
                                  "[stage.parse]\ntype = extract-csv\n"
                                  "input = lines\nfields = user, n:integer\n"
                                  "separator = \"\\t\"\n"
                                  "[stage.out]\ntype = sqlite-sink\n"
                                  "input = parse\npath = users.db\n"
                                  "table = users\n");
  auto back = run_sluice({"run", again});
  BOOST_TEST_REQUIRE(back.code == 0, back.err);
  BOOST_TEST(
    (rows("users.db", "SELECT user || '|' || n FROM users ORDER BY n")
     == std::vector<std::string>{"tab\there|1", "two\nlines \\ end|2"}));
}

BOOST_AUTO_TEST_SUITE_END()
