// The end of a job under failures, through the `sluice` command: a fault
// injected into the final checkpoint (rule C7) must cost a restart, never
// records, duplicates or the end of the job. With `interval = 0s` the final
// checkpoint is the only one a run takes, so a fault at a checkpoint phase
// can only land on it.

#include "tests/cli/cli_fixture.hpp"

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using namespace sluice;
using namespace sluice::testing;

namespace {

/// Far beyond what these runs take (well below a second): only guards the
/// suite against a job that never ends.
constexpr std::chrono::seconds run_limit{20};

/// `[checkpoints]`, `[faults]` (one fault at `phase`, in `stage` if not
/// empty), `[restarts]` and `[log]` for a job whose only checkpoint is its
/// final one.
std::string final_fault_sections(const std::string& store,
                                 const std::string& phase,
                                 const std::string& stage = "") {
  return "[checkpoints]\nstore = " + store
         + "\ninterval = 0s\n"
           "[faults]\n"
         + (stage.empty() ? "" : "stage = " + stage + "\n") + "phase = " + phase
         + "\ncount = 1\n"
           "[restarts]\ninitial-backoff = 0s\n"
           "[log]\nlevel = info\n";
}

/// A generator of 1000 records into an unkeyed SQLite table `numbers` in
/// out.db, the sink failing at `phase` of the final checkpoint.
std::string numbers_to_sqlite_job(const std::string& phase) {
  return "[job]\nname = numbers\n" + final_fault_sections("numbers.db", phase)
         + "[stage.numbers]\ntype = generator\ncount = 1000\n"
           "[stage.table]\ntype = sqlite-sink\ninput = numbers\n"
           "path = out.db\ntable = numbers\n";
}

/// The first field (the generator's index) of every line of a file-sink's
/// output.
std::multiset<uint64_t> indices_in(const std::string& text) {
  std::multiset<uint64_t> result;
  std::istringstream in{text};
  for (std::string line; std::getline(in, line);)
    result.insert(std::stoull(line.substr(0, line.find('\t'))));
  return result;
}

/// 0, 1, ..., n - 1.
std::multiset<uint64_t> first_indices(uint64_t n) {
  std::multiset<uint64_t> result;
  for (uint64_t i = 0; i < n; ++i)
    result.insert(i);
  return result;
}

/// The injected fault fired in `stage`. (Whether a recovery is logged
/// depends on records flowing after the restart: after a completed final
/// checkpoint none do.)
void check_fault_fired(const bounded_result& r, const std::string& phase,
                       const std::string& stage) {
  BOOST_TEST(contains(r.err, "failure of stage '" + stage + "' instance 0/1: "),
             r.err);
  BOOST_TEST(contains(r.err, "injected fault " + phase), r.err);
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(end_of_job_tests, cli_fixture)

BOOST_AUTO_TEST_CASE(
  every_pipeline_reaches_its_sink_when_the_final_checkpoint_fails) {
  // Two independent pipelines (two failover regions). gen_a ends at once,
  // gen_b reads for about a second; then the final checkpoint starts, and
  // out_a fails after its snapshot. The failure during the final checkpoint
  // takes both regions back (R1): both start over, since no checkpoint
  // completed, and both sinks must end up with every record of their
  // generator, gen_b's too.
  auto job = write("two.ini",
                   "[job]\nname = two\n"
                     + final_fault_sections("two.db", "after-snapshot", "out_a")
                     + "[stage.gen_a]\ntype = generator\ncount = 100\n"
                       "[stage.out_a]\ntype = file-sink\ninput = gen_a\n"
                       "path = out_a.txt\n"
                       "[stage.gen_b]\ntype = generator\ncount = 3000\n"
                       "rate = 3000\n"
                       "[stage.out_b]\ntype = file-sink\ninput = gen_b\n"
                       "path = out_b.txt\n");
  auto r = run_sluice_within({"run", job}, run_limit);
  BOOST_TEST_REQUIRE((r.code == 0), r.ending() << "\n" << r.err);
  check_fault_fired(r, "after-snapshot", "out_a");
  auto a = indices_in(read("out_a.txt"));
  auto b = indices_in(read("out_b.txt"));
  BOOST_TEST(a.size() == 100u);
  BOOST_TEST(b.size() == 3000u);
  BOOST_TEST((a == first_indices(100)));
  BOOST_TEST((b == first_indices(3000)));
}

BOOST_AUTO_TEST_CASE(
  uncommitted_rows_stay_invisible_when_the_final_checkpoint_fails) {
  // 1000 lines into an unkeyed table, whose sink fails after its final
  // snapshot. The same lines also go, split into 200 words each, to a
  // second table: its sink gets the final barrier only after 200000 words,
  // long after the failure, so the final checkpoint cannot complete before
  // the failure reaches the coordinator. The final epoch was not
  // committed: none of its rows may be visible; the restart (from the
  // beginning) writes them again, and each line shows once.
  {
    std::ofstream lines{dir.file("lines.txt")};
    for (int i = 0; i < 1000; ++i) {
      lines << i;
      for (int w = 0; w < 199; ++w)
        lines << " w";
      lines << '\n';
    }
  }
  auto job = write(
    "lines.ini", "[job]\nname = lines\n"
                   + final_fault_sections("lines.db", "after-snapshot", "table")
                   + "[stage.lines]\ntype = file-source\npath = lines.txt\n"
                     "[stage.table]\ntype = sqlite-sink\ninput = lines\n"
                     "path = out.db\ntable = lines\n"
                     "[stage.words]\ntype = split-words\ninput = lines\n"
                     "[stage.word-table]\ntype = sqlite-sink\ninput = words\n"
                     "path = words.db\ntable = words\n");
  auto r = run_sluice_within({"run", job}, run_limit);
  BOOST_TEST_REQUIRE((r.code == 0), r.ending() << "\n" << r.err);
  check_fault_fired(r, "after-snapshot", "table");
  BOOST_TEST(contains(r.err, "checkpoint 1 aborted: "), r.err);
  BOOST_TEST(rows("out.db", "SELECT COUNT(*), COUNT(DISTINCT line) FROM lines")
               == std::vector<std::string>{"1000|1000"},
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(
  a_failure_after_the_final_checkpoint_completed_ends_the_job) {
  // The final checkpoint completed; the sink fails before it committed.
  // The restart brings back sources that had already ended: the job must
  // still end, on its own, with every row once.
  auto job = write("numbers.ini", numbers_to_sqlite_job("before-commit"));
  auto r = run_sluice_within({"run", job}, run_limit);
  BOOST_TEST_REQUIRE((r.code == 0), r.ending() << " (limit "
                                               << run_limit.count() << " s)\n"
                                               << r.err);
  check_fault_fired(r, "before-commit", "table");
  BOOST_TEST(rows("out.db", "SELECT COUNT(*), COUNT(DISTINCT \"index\"), "
                            "MIN(\"index\"), MAX(\"index\") FROM numbers")
               == std::vector<std::string>{"1000|1000|0|999"},
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()
