#include "tests/cli/cli_fixture.hpp"

#include <boost/test/unit_test.hpp>

#include <filesystem>

#include <sys/stat.h>

using namespace sluice;
using namespace sluice::testing;

namespace {

/// A valid job with a checkpoint store and an output file; each test
/// breaks one line of it.
constexpr const char* valid_job = "[job]\n"              // 1
                                  "name = words\n"       // 2
                                  "[checkpoints]\n"      // 3
                                  "store = words.db\n"   // 4
                                  "[stage.lines]\n"      // 5
                                  "type = file-source\n" // 6
                                  "path = input.txt\n"   // 7
                                  "[stage.words]\n"      // 8
                                  "type = split-words\n" // 9
                                  "input = lines\n"      // 10
                                  "[stage.out]\n"        // 11
                                  "type = file-sink\n"   // 12
                                  "input = words\n"      // 13
                                  "path = words.txt\n";  // 14

struct fixture : cli_fixture {
  fixture() { write("input.txt", "one two three\n"); }

  /// `valid_job` with `from` replaced by `to`.
  std::string job_with(const std::string& from, const std::string& to) {
    std::string text = valid_job;
    auto at = text.find(from);
    BOOST_TEST_REQUIRE(at != std::string::npos, from);
    text.replace(at, from.size(), to);
    return write("job.ini", text);
  }

  /// Runs the job file and checks what every bad input must give: an
  /// error on standard error naming `where` (file and line) and `key`, a
  /// non-zero exit and no job: nothing started, no store, no output.
  void expect_rejected(const std::string& job, const std::string& where,
                       const std::string& key,
                       const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args{"run", job};
    args.insert(args.end(), extra.begin(), extra.end());
    auto r = run_sluice(args);
    BOOST_TEST(r.code == 2);
    BOOST_TEST(contains(r.err, "sluice run: " + where + ": "), r.err);
    BOOST_TEST(contains(r.err, key), r.err);
    BOOST_TEST(!contains(r.err, "started"), r.err);
    BOOST_TEST(r.out.empty());
    BOOST_TEST(!exists("words.db"));
    BOOST_TEST(!exists("words.txt"));
    // `validate` rejects it the same way.
    args[0] = "validate";
    auto v = run_sluice(args);
    BOOST_TEST(v.code == 2);
    BOOST_TEST(contains(v.err, "sluice validate: " + where + ": "), v.err);
  }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(bad_input_tests, fixture)

BOOST_AUTO_TEST_CASE(the_valid_job_runs) {
  // The baseline the other cases break: it runs and writes its outputs.
  auto job = write("job.ini", valid_job);
  auto r = run_sluice({"run", job});
  BOOST_TEST_REQUIRE(r.code == 0, r.err);
  BOOST_TEST(read("words.txt") == "one\ntwo\nthree\n");
}

BOOST_AUTO_TEST_CASE(an_unknown_section) {
  auto job = job_with("path = words.txt", "path = words.txt\n[sink.extra]");
  expect_rejected(job, job + ":15", "section [sink.extra]: unknown section");
}

BOOST_AUTO_TEST_CASE(an_unknown_key) {
  auto job = job_with("store = words.db", "store = words.db\nintervall = 2s");
  expect_rejected(job, job + ":5",
                  "key 'intervall' in [checkpoints]: unknown key");
}

BOOST_AUTO_TEST_CASE(an_unknown_operator_type) {
  auto job = job_with("type = split-words", "type = tokenize");
  expect_rejected(job, job + ":9",
                  "key 'type' in [stage.words]: unknown operator type "
                  "'tokenize'");
}

BOOST_AUTO_TEST_CASE(a_missing_input) {
  auto job = job_with("input = lines", "input = line");
  expect_rejected(job, job + ":10",
                  "key 'input' in [stage.words]: no stage 'line' to read from");
}

BOOST_AUTO_TEST_CASE(a_missing_input_file) {
  auto job = job_with("path = input.txt", "path = nothing.txt");
  expect_rejected(job, job + ":7",
                  "key 'path' in [stage.lines]: input file '"
                    + dir.file("nothing.txt") + "' does not exist");
}

BOOST_AUTO_TEST_CASE(a_cycle) {
  auto job = job_with("input = lines", "input = words");
  expect_rejected(job, job + ":10",
                  "key 'input' in [stage.words]: the stages form a cycle: "
                  "'words' reads 'words'");
}

BOOST_AUTO_TEST_CASE(a_value_of_the_wrong_type) {
  auto job = job_with("store = words.db", "store = words.db\ninterval = 10");
  expect_rejected(job, job + ":5",
                  "key 'interval' in [checkpoints]: expected a duration");
}

BOOST_AUTO_TEST_CASE(an_unreadable_file) {
  // The job file itself: nothing to point into but the file.
  auto missing = dir.file("missing.ini");
  auto r = run_sluice({"run", missing});
  BOOST_TEST(r.code == 2);
  BOOST_TEST(contains(r.err, "sluice run: " + missing
                               + ": cannot read the job file: No such file "
                                 "or directory"),
             r.err);
  // A file the job reads that is no file.
  std::filesystem::create_directory(dir.path() / "input-folder");
  auto job = job_with("path = input.txt", "path = input-folder");
  expect_rejected(job, job + ":7",
                  "key 'path' in [stage.lines]: input file '"
                    + dir.file("input-folder") + "' is not a regular file");
}

BOOST_AUTO_TEST_CASE(a_budget_below_a_batch_per_input_channel) {
  // Checked by the engine (rule D4), pointed at the stage's section.
  auto job = job_with("input = lines", "input = lines\nbudget = 1000");
  expect_rejected(job, job + ":8",
                  "[stage.words]: stage 'words': budget of 1000 records "
                  "cannot give its input channel a full batch; it needs at "
                  "least 1024 (1 x 1024)");
}

BOOST_AUTO_TEST_CASE(an_engine_check_failed_by_a_command_line_option) {
  // The budget in the file is fine for the file's batch size; the option
  // makes batches too large for it, and the message says so.
  auto job = write("job.ini", valid_job);
  expect_rejected(job, job + ":8",
                  "budget of 16384 records cannot give its input channel a "
                  "full batch; it needs at least 20000 (1 x 20000); raise "
                  "the budget or lower the batch size (with command-line "
                  "options --engine.batch-size=20000)",
                  {"--engine.batch-size=20000"});
}

BOOST_AUTO_TEST_CASE(a_log_file_that_cannot_be_opened) {
  // Not a quiet fall back to standard error: the job does not start.
  auto job = job_with("store = words.db",
                      "store = words.db\n[log]\nfile = logs/words.log");
  expect_rejected(job, job + ":6",
                  "key 'file' in [log]: folder '" + dir.file("logs")
                    + "' of the log file '" + dir.file("logs/words.log")
                    + "' does not exist");
  BOOST_TEST(!exists("logs"));
  // The same on the command line.
  job = write("job.ini", valid_job);
  expect_rejected(job, "command line",
                  "option '--log.file': folder '" + dir.file("logs")
                    + "' of the log file '" + dir.file("logs/words.log")
                    + "' does not exist",
                  {"--log.file=" + dir.file("logs/words.log")});
}

BOOST_AUTO_TEST_CASE(a_bad_override_on_the_command_line) {
  auto job = write("job.ini", valid_job);
  expect_rejected(job, "command line",
                  "option '--checkpoints.interval': expected a duration",
                  {"--checkpoints.interval=often"});
}

BOOST_AUTO_TEST_CASE(a_sink_that_would_overwrite_the_input) {
  auto job = job_with("path = words.txt", "path = input.txt");
  expect_rejected(job, job + ":14",
                  "key 'path' in [stage.out]: '" + dir.file("input.txt")
                    + "' is the input of file-source 'lines' (" + job
                    + ":7); writing it would destroy the input");
  BOOST_TEST(read("input.txt") == "one two three\n");
  // The same file under another name.
  std::filesystem::create_symlink(dir.file("input.txt"), dir.file("alias.txt"));
  job = job_with("path = words.txt", "path = alias.txt");
  expect_rejected(job, job + ":14", "writing it would destroy the input");
  // Reading what the job writes is refused as well.
  job = job_with("store = words.db", "store = input.txt");
  expect_rejected(job, job + ":4",
                  "key 'store' in [checkpoints]: '" + dir.file("input.txt")
                    + "' is the input of file-source 'lines' (" + job
                    + ":7); writing it would destroy the input");
  BOOST_TEST(read("input.txt") == "one two three\n");
}

BOOST_AUTO_TEST_CASE(two_sinks_that_write_one_file) {
  auto job = job_with("path = words.txt",
                      "path = words.txt\n"
                      "[stage.copy]\ntype = file-sink\ninput = words\n"
                      "path = ./words.txt");
  expect_rejected(job, job + ":18",
                  "key 'path' in [stage.copy]: '" + dir.file("words.txt")
                    + "' is written by file-sink 'out' (" + job
                    + ":14) too; two outputs would overwrite each other");
  // Instances of a sink write a file each: out-1.txt of a sink with two
  // instances is another sink's out-1.txt.
  job = job_with("path = words.txt",
                 "path = words.txt\nparallelism = 2\n"
                 "[stage.copy]\ntype = file-sink\ninput = words\n"
                 "path = words-1.txt");
  expect_rejected(job, job + ":19", "two outputs would overwrite each other");
}

BOOST_AUTO_TEST_CASE(a_scheduler_with_more_threads_than_can_start) {
  auto job = job_with("store = words.db",
                      "store = words.db\n[scheduler]\nthreads = 1000");
  expect_rejected(job, job + ":6",
                  "key 'threads' in [scheduler]: expected an integer from 0 "
                  "to 256, got '1000'");
}

BOOST_AUTO_TEST_CASE(a_generator_rate_beyond_what_pacing_can_keep) {
  auto job = job_with("type = file-source\npath = input.txt",
                      "type = generator\ncount = 10\nrate = 1e30");
  expect_rejected(job, job + ":8",
                  "key 'rate' in [stage.lines]: expected records per second, "
                  "a number from 0.001 to 1e9, got '1e30'");
}

BOOST_AUTO_TEST_CASE(a_checkpoint_store_that_is_no_file) {
  std::filesystem::create_directory(dir.path() / "folder");
  auto job = job_with("store = words.db", "store = folder");
  expect_rejected(job, job + ":4",
                  "key 'store' in [checkpoints]: the checkpoint store '"
                    + dir.file("folder") + "' is a folder");
  job = job_with("store = words.db", "store = /dev/null");
  expect_rejected(job, job + ":4",
                  "the checkpoint store '/dev/null' is not a regular file");
  job = write("job.ini", valid_job);
  expect_rejected(job, "command line",
                  "option '--checkpoints.store': the checkpoint store "
                  "'/dev/null' is not a regular file",
                  {"--checkpoints.store=/dev/null"});
}

BOOST_AUTO_TEST_CASE(parallelism_above_key_groups_names_where_each_was_set) {
  // The stage's own parallelism, against key-groups from the command line.
  auto job = job_with("input = lines", "input = lines\nparallelism = 4");
  expect_rejected(job, job + ":11",
                  "key 'parallelism' in [stage.words]: 4 is above [engine] "
                  "key-groups (2, set by option '--engine.key-groups')",
                  {"--engine.key-groups=2"});
  // The engine's parallelism from the command line: the file is not to
  // blame.
  job = write("job.ini", valid_job);
  expect_rejected(job, "command line",
                  "option '--engine.parallelism': parallelism (200) is above "
                  "key-groups (128) (key-groups: the default)",
                  {"--engine.parallelism=200"});
  // Both in the file, key-groups after the stages.
  job = job_with("path = words.txt",
                 "path = words.txt\n[engine]\nparallelism = 8\n"
                 "key-groups = 4");
  expect_rejected(job, job + ":16",
                  "key 'parallelism' in [engine]: parallelism (8) is above "
                  "key-groups (4) (key-groups: set at "
                    + job + ":17)");
}

BOOST_AUTO_TEST_CASE(a_job_file_that_is_a_fifo) {
  // Opening a FIFO blocks until someone writes to it: refused instead.
  auto fifo = dir.file("job.ini");
  BOOST_TEST_REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  for (std::string command : {"validate", "run"}) {
    auto r = run_sluice_within({command, fifo}, std::chrono::seconds{60});
    BOOST_TEST(r.ending() == "exited with 2");
    BOOST_TEST(contains(r.err, "sluice " + command + ": " + fifo
                                 + ": cannot read the job file: it is not a "
                                   "regular file"),
               r.err);
  }
}

BOOST_AUTO_TEST_SUITE_END()
