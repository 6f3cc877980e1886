#include "config/job_spec.hpp"

#include "tests/config/job_file_fixture.hpp"
#include "tests/support/caf_printing.hpp"
#include "tests/support/failure_text.hpp"

#include <boost/test/unit_test.hpp>

#include <filesystem>

using namespace sluice;
using namespace sluice::config;
using sluice::testing::failure_text;
using sluice::testing::job_file_fixture;

namespace {

/// Lines, words, key-by word, count, file: the word count graph.
constexpr const char* wordcount = "[job]\n"              // 1
                                  "name = words\n"       // 2
                                  "[stage.lines]\n"      // 3
                                  "type = file-source\n" // 4
                                  "path = input.txt\n"   // 5
                                  "[stage.words]\n"      // 6
                                  "type = split-words\n" // 7
                                  "input = lines\n"      // 8
                                  "[stage.by-word]\n"    // 9
                                  "type = key-by\n"      // 10
                                  "input = words\n"      // 11
                                  "field = word\n"       // 12
                                  "[stage.counts]\n"     // 13
                                  "type = count\n"       // 14
                                  "input = by-word\n"    // 15
                                  "parallelism = 2\n"    // 16
                                  "[stage.out]\n"        // 17
                                  "type = file-sink\n"   // 18
                                  "input = counts\n"     // 19
                                  "path = counts.tsv\n"; // 20

/// A CSV graph up to a keyed stream of (region, amount).
constexpr const char* sales = "[stage.rows]\n"                    // 1
                              "type = file-source\n"              // 2
                              "path = input.txt\n"                // 3
                              "[stage.sales]\n"                   // 4
                              "type = extract-csv\n"              // 5
                              "input = rows\n"                    // 6
                              "fields = region, _, amount:real\n" // 7
                              "[stage.by-region]\n"               // 8
                              "type = key-by\n"                   // 9
                              "input = sales\n"                   // 10
                              "field = region\n";                 // 11

struct fixture : job_file_fixture {
  fixture() { write("input.txt", "some words\n"); }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(job_spec_tests, fixture)

// -- a valid file -------------------------------------------------------------

BOOST_AUTO_TEST_CASE(a_valid_graph_resolves_inputs_keys_and_fields) {
  auto spec = read(wordcount);
  BOOST_TEST_REQUIRE(static_cast<bool>(spec), failure_text(spec));
  BOOST_TEST(spec->name == "words");
  BOOST_TEST_REQUIRE(spec->stages.size() == 5u);
  auto& lines = *spec->find("lines");
  BOOST_TEST(std::get<file_source_options>(lines.options).path
             == dir.file("input.txt"));
  BOOST_TEST(lines.parallelism.value() == 1u); // one reader per file
  auto& counts = *spec->find("counts");
  // Key-by stages run nothing: the count reads the words, keyed by word.
  BOOST_TEST(counts.input == "by-word");
  BOOST_TEST(counts.reads == "words");
  BOOST_TEST(counts.key.value() == 0u);
  BOOST_TEST((counts.output
              == std::vector<field_def>{{"word", field_type::text},
                                        {"count", field_type::integer}}));
  auto& out = *spec->find("out");
  BOOST_TEST(out.reads == "counts");
  BOOST_TEST(!out.key);
  BOOST_TEST(std::get<file_sink_options>(out.options).path
             == dir.file("counts.tsv"));
  BOOST_TEST(counts.where.line == 13u);
}

BOOST_AUTO_TEST_CASE(fields_flow_through_extraction_filter_and_aggregates) {
  auto spec
    = read(std::string{sales}
           + "[stage.big]\ntype = filter\ninput = by-region\n"
             "field = amount\nop = >=\nvalue = 10.5\n"
             "[stage.total]\ntype = sum\ninput = by-region\nfield = amount\n"
             "[stage.windows]\ntype = window-count\ninput = by-region\n"
             "size = 10s\nas = sales\n");
  BOOST_TEST_REQUIRE(static_cast<bool>(spec), failure_text(spec));
  auto& extract = std::get<extract_options>(spec->find("sales")->options);
  BOOST_TEST((extract.columns == std::vector<size_t>{0, 2}));
  auto& big = *spec->find("big");
  auto& f = std::get<filter_options>(big.options);
  BOOST_TEST(f.field == 1u);
  BOOST_TEST((f.operand == field_value{10.5}));
  BOOST_TEST(big.key.value() == 0u); // a filter after key-by reads keyed
  auto& total = *spec->find("total");
  BOOST_TEST((total.output
              == std::vector<field_def>{{"region", field_type::text},
                                        {"sum", field_type::real}}));
  auto& windows = *spec->find("windows");
  BOOST_TEST((windows.output
              == std::vector<field_def>{{"window_start", field_type::integer},
                                        {"region", field_type::text},
                                        {"sales", field_type::integer}}));
}

BOOST_AUTO_TEST_CASE(the_graph_text_shows_stages_partitioning_and_fields) {
  auto spec = read(wordcount);
  BOOST_TEST_REQUIRE(static_cast<bool>(spec), failure_text(spec));
  auto text = describe_graph(*spec);
  BOOST_TEST(text.find("counts (count x2) <- by-word [hash by word]")
             != std::string::npos);
  BOOST_TEST(text.find("-> word:text, count:integer") != std::string::npos);
  BOOST_TEST(text.find("out (file-sink x1) <- counts [rebalance]")
             != std::string::npos);
}

// -- bad input: every error names file, line and key --------------------------

BOOST_AUTO_TEST_CASE(an_unknown_section_is_rejected) {
  BOOST_TEST(
    error_of(std::string{wordcount} + "[stages.extra]\ntype = stdout\n")
    == job()
         + ":21: section [stages.extra]: unknown section; a job "
           "file has [job], [stage.NAME], [nodes] and the engine sections "
           "[engine], [scheduler], [checkpoints], [restarts], "
           "[log], [metrics], [cluster], [faults]");
  BOOST_TEST(code_of(std::string{wordcount} + "[stages.extra]\n")
             == errc::unknown_section);
}

BOOST_AUTO_TEST_CASE(an_unknown_key_of_a_stage_is_rejected) {
  BOOST_TEST(error_of(std::string{wordcount} + "paralelism = 2\n")
             == job()
                  + ":21: key 'paralelism' in [stage.out]: unknown key "
                    "for a file-sink stage; it knows type, input, "
                    "partitioning, parallelism, budget, path");
  BOOST_TEST(code_of(std::string{wordcount} + "paralelism = 2\n")
             == errc::unknown_key);
}

BOOST_AUTO_TEST_CASE(an_unknown_operator_type_is_rejected) {
  auto text = std::string{wordcount};
  text.replace(text.find("split-words"), 11, "split-wurds");
  BOOST_TEST(error_of(text)
             == job()
                  + ":7: key 'type' in [stage.words]: unknown operator "
                    "type 'split-wurds'; types are file-source, generator, "
                    "split-words, extract-csv, extract-json, filter, "
                    "key-by, count, sum, min, max, window-count, "
                    "file-sink, sqlite-sink, stdout");
  BOOST_TEST(code_of(text) == errc::unknown_operator);
}

BOOST_AUTO_TEST_CASE(a_missing_input_is_rejected) {
  // No input at all.
  auto text = std::string{wordcount};
  text.erase(text.find("input = lines\n"), 14);
  BOOST_TEST(error_of(text)
             == job()
                  + ":6: section [stage.words] needs key 'input': the "
                    "stage it reads from");
  // An input that names no stage.
  text = wordcount;
  text.replace(text.find("input = lines"), 13, "input = line");
  BOOST_TEST(error_of(text)
             == job()
                  + ":8: key 'input' in [stage.words]: no stage 'line' to "
                    "read from; stages with output are lines, by-word, "
                    "counts");
  BOOST_TEST(code_of(text) == errc::missing_input);
  // An input file that is not there.
  text = wordcount;
  text.replace(text.find("path = input.txt"), 16, "path = gone.txt");
  BOOST_TEST(error_of(text)
             == job() + ":5: key 'path' in [stage.lines]: input file '"
                  + dir.file("gone.txt") + "' does not exist");
  BOOST_TEST(code_of(text) == errc::unreadable_file);
}

BOOST_AUTO_TEST_CASE(a_cycle_is_rejected) {
  auto text = std::string{wordcount};
  // words reads counts, counts reads by-word, by-word reads words.
  text.replace(text.find("input = lines"), 13, "input = counts");
  BOOST_TEST(error_of(text)
             == job()
                  + ":8: key 'input' in [stage.words]: the stages form a "
                    "cycle: 'words' reads 'counts', 'counts' reads "
                    "'by-word', 'by-word' reads 'words'");
  BOOST_TEST(code_of(text) == errc::cycle);
  BOOST_TEST(
    error_of("[stage.a]\ntype = filter\ninput = a\nfield = x\nop = ==\n"
             "value = 1\n")
    == job()
         + ":3: key 'input' in [stage.a]: the stages form a "
           "cycle: 'a' reads 'a'");
}

BOOST_AUTO_TEST_CASE(a_value_of_the_wrong_type_is_rejected) {
  auto text = std::string{wordcount};
  text.replace(text.find("parallelism = 2"), 15, "parallelism = two");
  BOOST_TEST(error_of(text)
             == job()
                  + ":16: key 'parallelism' in [stage.counts]: expected "
                    "a positive integer, at most [engine] key-groups, got "
                    "'two'");
  BOOST_TEST(code_of(text) == errc::wrong_type);
  // The operand of a filter has its field's type.
  BOOST_TEST(error_of(std::string{sales}
                      + "[stage.f]\ntype = filter\ninput = sales\n"
                        "field = amount\nop = >\nvalue = lots\n")
             == job()
                  + ":17: key 'value' in [stage.f]: expected a number, as "
                    "field 'amount' is real, got 'lots'");
}

BOOST_AUTO_TEST_CASE(an_unreadable_file_is_rejected) {
  // The job file itself.
  auto missing = dir.file("nowhere.ini");
  auto spec = read_job_file(missing);
  BOOST_TEST_REQUIRE(!spec);
  BOOST_TEST(protocol::describe(spec.error())
             == missing
                  + ": cannot read the job file: No such file or "
                    "directory");
  // A file the job reads: here a folder.
  std::filesystem::create_directory(dir.path() / "folder");
  auto text = std::string{wordcount};
  text.replace(text.find("path = input.txt"), 16, "path = folder");
  BOOST_TEST(error_of(text)
             == job() + ":5: key 'path' in [stage.lines]: input file '"
                  + dir.file("folder") + "' is not a regular file");
  // A file the job writes, in a folder that does not exist.
  text = wordcount;
  text.replace(text.find("path = counts.tsv"), 17, "path = out/counts.tsv");
  BOOST_TEST(error_of(text)
             == job() + ":20: key 'path' in [stage.out]: folder '"
                  + dir.file("out") + "' of '" + dir.file("out/counts.tsv")
                  + "' does not exist");
}

BOOST_AUTO_TEST_CASE(a_log_file_that_cannot_be_opened_is_rejected) {
  auto with_log = [&](const std::string& file) {
    return std::string{wordcount} + "[log]\nfile = " + file + "\n"; // 21, 22
  };
  // In a folder that does not exist: named by line and key.
  BOOST_TEST(error_of(with_log("logs/job.log"))
             == job() + ":22: key 'file' in [log]: folder '" + dir.file("logs")
                  + "' of the log file '" + dir.file("logs/job.log")
                  + "' does not exist");
  BOOST_TEST(code_of(with_log("logs/job.log")) == errc::unreadable_file);
  // A folder is no log file.
  std::filesystem::create_directory(dir.path() / "folder");
  BOOST_TEST(error_of(with_log("folder"))
             == job() + ":22: key 'file' in [log]: the log file '"
                  + dir.file("folder") + "' is a folder");
  // Set on the command line, the command line is at fault, even where
  // the file names a good one.
  BOOST_TEST(error_of(with_log("job.log"), {"--log.file=/nowhere/job.log"})
             == "command line: option '--log.file': folder '/nowhere' of the "
                "log file '/nowhere/job.log' does not exist");
  // A good one passes, and reading the job does not create it.
  BOOST_TEST(error_of(with_log("job.log")) == "");
  BOOST_TEST(!std::filesystem::exists(dir.file("job.log")));
}

BOOST_AUTO_TEST_CASE(fields_must_exist_and_fit) {
  auto with = [&](const std::string& stage) {
    return error_of(std::string{sales} + stage);
  };
  BOOST_TEST(with("[stage.total]\ntype = sum\ninput = by-region\n"
                  "field = amout\n")
             == job()
                  + ":15: key 'field' in [stage.total]: no field 'amout' "
                    "in the records of 'by-region'; they have "
                    "region:text, amount:real");
  BOOST_TEST(with("[stage.total]\ntype = sum\ninput = by-region\n"
                  "field = region\n")
             == job()
                  + ":15: key 'field' in [stage.total]: field 'region' is "
                    "text; a sum needs an integer or real field");
  BOOST_TEST(with("[stage.n]\ntype = count\ninput = sales\n")
             == job()
                  + ":14: key 'input' in [stage.n]: a count stage works "
                    "per key, but 'sales' is not a key-by stage; read "
                    "from a key-by stage");
  BOOST_TEST(with("[stage.n]\ntype = count\ninput = by-region\nas = region\n")
             == job()
                  + ":15: key 'as' in [stage.n]: the output already has "
                    "a field 'region'; choose another name");
}

BOOST_AUTO_TEST_CASE(partitioning_must_fit_the_edge) {
  BOOST_TEST(error_of(std::string{sales}
                      + "[stage.out]\ntype = stdout\ninput = by-region\n"
                        "partitioning = rebalance\n")
             == job()
                  + ":15: key 'partitioning' in [stage.out]: the input is "
                    "keyed by a key-by stage, so records go by key; "
                    "remove this key");
  BOOST_TEST(error_of(std::string{sales}
                      + "[stage.out]\ntype = stdout\ninput = sales\n"
                        "partitioning = forward\nparallelism = 3\n")
             == job()
                  + ":15: key 'partitioning' in [stage.out]: forward "
                    "connects instance i to instance i, but 'sales' runs "
                    "1 instances and this stage 3");
  BOOST_TEST(code_of(std::string{sales}
                     + "[stage.out]\ntype = stdout\ninput = sales\n"
                       "partitioning = hash\n")
             == errc::wrong_type);
}

BOOST_AUTO_TEST_CASE(a_file_without_stages_is_rejected) {
  BOOST_TEST(error_of("[job]\nname = empty\n")
             == job()
                  + ": the job has no stages; declare them as "
                    "[stage.NAME] sections");
}

BOOST_AUTO_TEST_SUITE_END()
