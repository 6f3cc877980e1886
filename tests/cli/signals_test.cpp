#include "tests/cli/cli_fixture.hpp"

#include <boost/test/unit_test.hpp>

#include <csignal>

using namespace sluice;
using namespace sluice::testing;

namespace {

constexpr uint64_t records = 60000;

/// A generator of `records` (index, value) at 20000 records/s into two
/// SQLite tables: every record appended to `numbers`, and the count per
/// value (keyed state) into `counts`. Exactly once, each index shows once
/// and the counts match the numbers the same checkpoint committed.
std::string numbers_job() {
  return "[job]\nname = numbers\n"
         "[checkpoints]\nstore = numbers.db\ninterval = 100ms\n"
         "[stage.numbers]\ntype = generator\ncount = "
         + std::to_string(records)
         + "\nrate = 20000\nvalues = 10\nparallelism = 2\n"
           "[stage.table]\ntype = sqlite-sink\ninput = numbers\n"
           "path = out.db\ntable = numbers\nparallelism = 2\n"
           "[stage.by-value]\ntype = key-by\ninput = numbers\nfield = value\n"
           "[stage.counts]\ntype = count\ninput = by-value\nparallelism = 2\n"
           "[stage.count-table]\ntype = sqlite-sink\ninput = counts\n"
           "path = out.db\ntable = counts\nkey = value\n";
}

/// The counts per value, from each table: equal when both sinks committed
/// the same checkpoints.
void check_counts_match_numbers(cli_fixture& f) {
  auto counted
    = f.rows("out.db", "SELECT value, count FROM counts ORDER BY value");
  auto appended
    = f.rows("out.db", "SELECT value, COUNT(*) FROM numbers GROUP BY "
                       "value ORDER BY value");
  BOOST_TEST(counted == appended, boost::test_tools::per_element());
}

/// A progress line that shows a completed checkpoint: the job runs and
/// has state to resume from.
bool checkpointed_progress(const std::string& line) {
  return contains(line, "sluice: progress: ")
         && contains(line, ", checkpoint ");
}

uint64_t number_after(const std::string& text, const std::string& prefix) {
  auto at = text.find(prefix);
  BOOST_TEST_REQUIRE(at != std::string::npos,
                     "no '" << prefix << "' in " << text);
  return std::stoull(text.substr(at + prefix.size()));
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(signals_tests, cli_fixture)

BOOST_AUTO_TEST_CASE(sigint_stops_after_a_final_checkpoint_and_run_resumes) {
  auto job = write("numbers.ini", numbers_job());
  uint64_t final_checkpoint = 0;
  {
    sluice_process p{{"run", job, "--progress-every=100ms"}};
    BOOST_TEST_REQUIRE(p.wait_for_error_line(checkpointed_progress), p.err());
    p.signal(SIGINT);
    BOOST_TEST_REQUIRE(p.wait() == 0, p.err());
    BOOST_TEST(contains(p.err(), "sluice: stopping on SIGINT: draining the "
                                 "job, then a final checkpoint"));
    BOOST_TEST(contains(p.err(), "sluice: job 'numbers' stopped after"));
    final_checkpoint = number_after(p.err(), "final checkpoint ");
  }
  // Stopped partway; what the sink committed holds no index twice.
  auto stopped = rows("out.db", "SELECT COUNT(*), COUNT(DISTINCT \"index\") "
                                "FROM numbers");
  BOOST_TEST_REQUIRE(stopped.size() == 1u);
  auto bar = stopped[0].find('|');
  auto count = std::stoull(stopped[0].substr(0, bar));
  BOOST_TEST(count > 0u);
  BOOST_TEST(count < records);
  BOOST_TEST(stopped[0].substr(bar + 1) == std::to_string(count));
  check_counts_match_numbers(*this);
  // The final checkpoint is the newest in the store.
  auto listed = run_sluice({"checkpoints", job});
  BOOST_TEST(listed.code == 0, listed.err);
  auto first_row = listed.out.find('\n', listed.out.find(" restores\n"));
  BOOST_TEST(number_after(listed.out.substr(first_row), "\n")
             == final_checkpoint);
  // Running again resumes from it and completes: every index once.
  auto resumed = run_sluice({"run", job});
  BOOST_TEST_REQUIRE(resumed.code == 0, resumed.err);
  BOOST_TEST(contains(resumed.err, "(resumed from checkpoint "
                                     + std::to_string(final_checkpoint) + ")"));
  BOOST_TEST(rows("out.db", "SELECT COUNT(*), COUNT(DISTINCT \"index\"), "
                            "MIN(\"index\"), MAX(\"index\") FROM numbers")
               == std::vector<std::string>{std::to_string(records) + "|"
                                           + std::to_string(records) + "|0|"
                                           + std::to_string(records - 1)},
             boost::test_tools::per_element());
  check_counts_match_numbers(*this);
}

BOOST_AUTO_TEST_CASE(sigterm_stops_as_sigint_does) {
  auto job = write("numbers.ini", numbers_job());
  sluice_process p{{"run", job, "--progress-every=100ms"}};
  BOOST_TEST_REQUIRE(p.wait_for_error_line(checkpointed_progress), p.err());
  p.signal(SIGTERM);
  BOOST_TEST(p.wait() == 0, p.err());
  BOOST_TEST(contains(p.err(), "sluice: stopping on SIGTERM"));
  BOOST_TEST(contains(p.err(), "final checkpoint "));
}

BOOST_AUTO_TEST_CASE(a_killed_run_resumes_without_losing_or_repeating_rows) {
  auto job = write("numbers.ini", numbers_job());
  {
    sluice_process p{{"run", job, "--progress-every=100ms"}};
    BOOST_TEST_REQUIRE(p.wait_for_error_line(checkpointed_progress), p.err());
    p.signal(SIGKILL); // no final checkpoint, no goodbye
    BOOST_TEST(p.wait() == 128 + SIGKILL);
  }
  auto resumed = run_sluice({"run", job});
  BOOST_TEST_REQUIRE(resumed.code == 0, resumed.err);
  BOOST_TEST(contains(resumed.err, "(resumed from checkpoint "));
  BOOST_TEST(rows("out.db", "SELECT COUNT(*), COUNT(DISTINCT \"index\") "
                            "FROM numbers")
               == std::vector<std::string>{std::to_string(records) + "|"
                                           + std::to_string(records)},
             boost::test_tools::per_element());
  check_counts_match_numbers(*this);
}

BOOST_AUTO_TEST_CASE(a_terminal_sees_a_live_progress_line) {
  auto job
    = write("short.ini", "[stage.numbers]\ntype = generator\ncount = 20000\n"
                         "rate = 20000\n"
                         "[stage.out]\ntype = file-sink\ninput = numbers\n"
                         "path = numbers.tsv\n");
  auto r = run_sluice_on_terminal({"run", job});
  BOOST_TEST(r.code == 0, r.out);
  // Redrawn in place: carriage return, clear to the end of the line.
  BOOST_TEST(contains(r.out, "\r\033[K"));
  BOOST_TEST(contains(r.out, " records/s"));
  BOOST_TEST(!contains(r.out, "sluice: progress:")); // no log lines
  BOOST_TEST(contains(r.out, "20000 in, 20000 out"));
}

BOOST_AUTO_TEST_SUITE_END()
