// `sluice run` killed with SIGKILL at random moments and started again until
// it finished: a file's lines into an unkeyed SQLite table, with
// exactly-once checkpoints every 50 ms. Afterwards each line is in the table
// once. The seed of the kills is printed; SLUICE_KILL_SEED replays it.

#include "tests/cli/sluice_process.hpp"
#include "tests/support/sqlite_rows.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

using sluice::testing::sluice_process;
using sluice::testing::sqlite_rows;
using sluice::testing::temp_dir;

namespace {

/// A run without kills takes a second or two.
constexpr uint64_t line_count = 200000;

/// Runs killed per parallelism before one may run to its end.
constexpr int kills_per_case = 10;

/// Far beyond what a run takes: only guards the suite against a hang.
constexpr std::chrono::seconds run_limit{40};

/// The seed of SLUICE_KILL_SEED, or a random one.
uint64_t kill_seed() {
  if (auto text = std::getenv("SLUICE_KILL_SEED"))
    return std::stoull(text);
  return std::random_device{}();
}

std::string lines_job(uint32_t parallelism) {
  return "[job]\nname = lines\n"
         "[checkpoints]\nstore = lines.db\ninterval = 50ms\n"
         "[stage.lines]\ntype = file-source\npath = lines.txt\n"
         "[stage.table]\ntype = sqlite-sink\ninput = lines\n"
         "path = out.db\ntable = lines\nparallelism = "
         + std::to_string(parallelism) + "\n";
}

/// Rows visible in the table; 0 before it exists.
uint64_t visible_rows(const std::string& db) {
  try {
    // Rows are only ever added: the highest rowid counts them, cheaply.
    auto rows = sqlite_rows(db, "SELECT IFNULL(MAX(rowid), 0) FROM lines");
    return std::stoull(rows.at(0));
  } catch (const std::exception&) {
    return 0; // no table (or no file) yet
  }
}

/// When a run is killed.
struct kill_point {
  /// Once this many rows are visible (0: at once)...
  uint64_t rows = 0;
  /// ... after this delay.
  std::chrono::microseconds delay{0};
  std::string text;
};

/// A quarter of the kills come at a random time after the start, a quarter
/// once the table showed a random share of the lines still missing, half
/// as soon as it showed all of them: the end of a job is short, and its
/// final checkpoint must survive a kill as well as any other. The first
/// kill never waits for the end, so that a case seldom ends without one.
kill_point draw_kill_point(std::mt19937_64& rng, uint64_t visible, bool first) {
  kill_point k;
  std::ostringstream text;
  switch (rng() % (first ? 2 : 4)) {
  case 0:
    k.delay = std::chrono::microseconds{rng() % 1'000'000};
    text << k.delay.count() / 1000 << " ms after the start";
    break;
  case 1: {
    auto share = std::uniform_real_distribution<>{}(rng);
    k.rows
      = visible
        + static_cast<uint64_t>(
          share
          * static_cast<double>(line_count - std::min(visible, line_count)));
    k.delay = std::chrono::microseconds{rng() % 10'000};
    text << k.delay.count() << " us after " << k.rows << " rows showed";
    break;
  }
  default:
    k.rows = line_count;
    k.delay = std::chrono::microseconds{rng() % 1'000};
    text << k.delay.count() << " us after all rows showed";
  }
  k.text = text.str();
  return k;
}

} // namespace

BOOST_AUTO_TEST_SUITE(sigkill_sqlite_tests)

BOOST_DATA_TEST_CASE(
  every_line_reaches_the_table_once_however_often_the_job_is_killed,
  boost::unit_test::data::xrange(1, 5), parallelism) {
  temp_dir dir;
  {
    std::ofstream lines{dir.file("lines.txt")};
    for (uint64_t i = 0; i < line_count; ++i)
      lines << i << '\n';
  }
  {
    std::ofstream{dir.file("lines.ini")}
      << lines_job(static_cast<uint32_t>(parallelism));
  }
  auto db = dir.file("out.db");
  auto seed = kill_seed();
  std::cout << "sigkill_sqlite: parallelism " << parallelism << ", seed "
            << seed << " (SLUICE_KILL_SEED replays it)" << std::endl;
  BOOST_TEST_CONTEXT("parallelism " << parallelism << ", seed " << seed) {
    std::mt19937_64 rng{seed};
    int kills = 0;
    for (int run = 0;; ++run) {
      sluice_process p{{"run", dir.file("lines.ini")}};
      if (kills == kills_per_case) {
        // Then to its end.
        auto code = p.wait_for(run_limit);
        BOOST_TEST_REQUIRE(code.has_value(),
                           "the last run did not end: " << p.err());
        BOOST_TEST_REQUIRE(*code == 0, p.err());
        break;
      }
      auto k = draw_kill_point(rng, visible_rows(db), run == 0);
      std::optional<int> code;
      auto until = std::chrono::steady_clock::now() + run_limit;
      while (!(code = p.wait_for(std::chrono::milliseconds{1}))
             && visible_rows(db) < k.rows)
        BOOST_TEST_REQUIRE((std::chrono::steady_clock::now() < until),
                           "run " << run << " neither ended nor showed "
                                  << k.rows << " rows: " << p.err());
      if (!code) {
        std::this_thread::sleep_for(k.delay);
        p.signal(SIGKILL);
        code = p.wait();
      }
      // Killed, or ended on its own before the kill came; a run that
      // failed on its own is an error, not a kill.
      BOOST_TEST_REQUIRE((*code == 128 + SIGKILL || *code == 0),
                         "run " << run << " exited with " << *code << ": "
                                << p.err());
      BOOST_TEST_MESSAGE(
        "run " << run << ": "
               << (*code == 0 ? "ended before the kill, " : "killed ") << k.text
               << "; " << visible_rows(db) << " rows visible");
      if (*code == 0)
        break;
      ++kills;
    }
    auto counts
      = sqlite_rows(db, "SELECT COUNT(*), COUNT(DISTINCT line) FROM lines");
    auto twice = sqlite_rows(
      db, "SELECT COUNT(*), MIN(CAST(line AS INTEGER)), "
          "MAX(CAST(line AS INTEGER)) FROM (SELECT line FROM lines GROUP BY "
          "line HAVING COUNT(*) > 1)");
    BOOST_TEST(counts
                 == std::vector<std::string>{std::to_string(line_count) + "|"
                                             + std::to_string(line_count)},
               boost::test_tools::per_element());
    BOOST_TEST(twice == std::vector<std::string>{"0|NULL|NULL"},
               "lines written more than once (how many|lowest|highest): "
                 << twice.at(0) << ", after " << kills << " kills");
  }
}

BOOST_AUTO_TEST_SUITE_END()
