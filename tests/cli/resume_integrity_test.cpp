#include "state/checkpoint_store.hpp"
#include "tests/cli/cli_fixture.hpp"
#include "tests/support/failure_text.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <vector>

using namespace sluice;
using namespace sluice::testing;

namespace {

/// 4000 numbers counted per `field` by `parallelism` instances, the counts
/// written to a file; checkpoints every 20 ms while the generator runs.
std::string counts_job(uint32_t parallelism = 2,
                       const std::string& field = "value") {
  return "[job]\nname = counts\n"
         "[checkpoints]\nstore = counts.db\ninterval = 20ms\n"
         "[stage.numbers]\ntype = generator\ncount = 4000\nrate = 40000\n"
         "values = 100\n"
         "[stage.by-value]\ntype = key-by\ninput = numbers\nfield = "
         + field
         + "\n[stage.counts]\ntype = count\ninput = by-value\nparallelism = "
         + std::to_string(parallelism)
         + "\n[stage.out]\ntype = file-sink\ninput = counts\npath = "
           "counts.tsv\n";
}

/// 4000 numbers appended to a SQLite table; checkpoints every 20 ms.
constexpr const char* table_job
  = "[job]\nname = numbers\n"
    "[checkpoints]\nstore = numbers.db\ninterval = 20ms\n"
    "[stage.numbers]\ntype = generator\ncount = 4000\nrate = 40000\n"
    "[stage.table]\ntype = sqlite-sink\ninput = numbers\n"
    "path = out.db\ntable = numbers\n";

/// Flips a byte of the newest checkpoint's snapshot of `stage` instance 0;
/// that checkpoint's id.
uint64_t damage_newest(const std::string& store_path,
                       const std::string& stage) {
  auto store = state::checkpoint_store::open(store_path);
  BOOST_TEST_REQUIRE(static_cast<bool>(store), failure_text(store));
  auto completed = store->completed();
  BOOST_TEST_REQUIRE((completed && completed->size() >= 2u));
  auto newest = completed->front().id;
  auto chain = store->chain(newest, stage, 0);
  BOOST_TEST_REQUIRE(static_cast<bool>(chain), failure_text(chain));
  auto payload = chain->back();
  payload[payload.size() / 2] ^= 0x08;
  BOOST_TEST_REQUIRE(!store->replace_payload(newest, stage, 0, payload));
  return to_integer(newest);
}

/// The last count written for each value ("value<TAB>count" lines, counts
/// only growing).
std::map<std::string, uint64_t> final_counts(const std::string& text) {
  std::map<std::string, uint64_t> result;
  std::istringstream in{text};
  for (std::string line; std::getline(in, line);) {
    auto tab = line.find('\t');
    BOOST_TEST_REQUIRE(tab != std::string::npos, line);
    auto& n = result[line.substr(0, tab)];
    n = std::max<uint64_t>(n, std::stoull(line.substr(tab + 1)));
  }
  return result;
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(resume_integrity_tests, cli_fixture)

BOOST_AUTO_TEST_CASE(a_resume_with_another_shape_is_refused_naming_the_change) {
  auto job = write("counts.ini", counts_job());
  auto first = run_sluice({"run", job});
  BOOST_TEST_REQUIRE(first.code == 0, first.err);
  auto output = read("counts.tsv");
  struct change {
    std::string file;   ///< The job file as changed.
    std::string option; ///< A command-line option, or none.
    std::string named;  ///< The change the refusal names; none: no change.
  };
  for (auto& c :
       {change{counts_job(1), "", "stage 'counts': parallelism 2, now 1"},
        change{counts_job(3), "", "stage 'counts': parallelism 2, now 3"},
        change{counts_job(), "--engine.key-groups=64",
               "key groups 128, now 64"},
        change{counts_job(2, "index"), "", ""}}) {
    BOOST_TEST_CONTEXT(c.named) {
      auto changed = write("changed.ini", c.file);
      std::vector<std::string> run_args{"run", changed};
      std::vector<std::string> validate_args{"validate", changed};
      if (!c.option.empty()) {
        run_args.push_back(c.option);
        validate_args.push_back(c.option);
      }
      auto run = run_sluice(run_args);
      auto validate = run_sluice(validate_args);
      if (c.named.empty()) {
        // The same shape: the records are keyed otherwise, but the
        // checkpoint's keyed state stays valid state of that stage.
        BOOST_TEST(run.code == 0, run.err);
        BOOST_TEST(validate.code == 0, validate.err);
        continue;
      }
      BOOST_TEST(run.code != 0);
      BOOST_TEST(contains(run.err, "job 'counts' cannot resume from the "
                                   "checkpoints in '"
                                     + dir.file("counts.db") + "'"),
                 run.err);
      BOOST_TEST(contains(run.err, c.named), run.err);
      BOOST_TEST(contains(run.err, "--fresh"), run.err);
      BOOST_TEST(validate.code == 2, validate.err);
      BOOST_TEST(contains(validate.err, c.named), validate.err);
      // Refused before anything ran: the output is the first run's.
      BOOST_TEST(read("counts.tsv") == output);
    }
  }
  // Starting over is the way out, and records the new shape.
  auto one = write("changed.ini", counts_job(1));
  auto fresh = run_sluice({"run", one, "--fresh"});
  BOOST_TEST_REQUIRE(fresh.code == 0, fresh.err);
  auto validate = run_sluice({"validate", one});
  BOOST_TEST(validate.code == 0, validate.err);
}

BOOST_AUTO_TEST_CASE(a_fallback_behind_a_committed_checkpoint_is_refused) {
  auto job = write("numbers.ini", table_job);
  auto first = run_sluice({"run", job});
  BOOST_TEST_REQUIRE(first.code == 0, first.err);
  BOOST_TEST_REQUIRE(rows("out.db", "SELECT COUNT(*) FROM numbers").at(0)
                     == "4000");
  // The newest checkpoint, which the sink committed, is damaged: the job
  // would restore an older one and append what came after it again.
  auto newest = damage_newest(dir.file("numbers.db"), "numbers");
  auto second = run_sluice({"run", job});
  BOOST_TEST(second.code != 0);
  BOOST_TEST(contains(second.err, "SQLite sink 'numbers/table' instance 0 on "
                                  "table 'numbers' in '"
                                    + dir.file("out.db")
                                    + "' committed checkpoint "
                                    + std::to_string(newest)
                                    + ", but the job would resume from the "
                                      "older checkpoint"),
             second.err);
  BOOST_TEST(rows("out.db", "SELECT COUNT(*) FROM numbers").at(0) == "4000");
}

BOOST_AUTO_TEST_CASE(a_lost_store_behind_a_committed_sink_is_refused) {
  auto job = write("numbers.ini", table_job);
  auto first = run_sluice({"run", job});
  BOOST_TEST_REQUIRE(first.code == 0, first.err);
  for (auto suffix : {"", "-wal", "-shm"})
    std::filesystem::remove(dir.file(std::string{"numbers.db"} + suffix));
  auto second = run_sluice({"run", job});
  BOOST_TEST(second.code != 0);
  BOOST_TEST(contains(second.err, "but the job's checkpoint store holds no "
                                  "checkpoint to resume from"),
             second.err);
  BOOST_TEST(rows("out.db", "SELECT COUNT(*) FROM numbers").at(0) == "4000");
  // Asked to, it starts over on top of what the table holds.
  auto fresh = run_sluice({"run", job, "--fresh"});
  BOOST_TEST_REQUIRE(fresh.code == 0, fresh.err);
  BOOST_TEST(rows("out.db", "SELECT COUNT(*) FROM numbers").at(0) == "8000");
}

BOOST_AUTO_TEST_CASE(a_file_sink_falls_back_by_cutting_its_file) {
  // A file sink records its file's length in each snapshot: restored from
  // an older checkpoint it cuts the file back to it, so a fallback writes
  // nothing twice.
  auto job = write("counts.ini", counts_job());
  auto first = run_sluice({"run", job});
  BOOST_TEST_REQUIRE(first.code == 0, first.err);
  auto expected = final_counts(read("counts.tsv"));
  uint64_t total = 0;
  for (auto& [value, n] : expected)
    total += n;
  BOOST_TEST_REQUIRE(total == 4000u);
  damage_newest(dir.file("counts.db"), "counts");
  auto second = run_sluice({"run", job});
  BOOST_TEST_REQUIRE(second.code == 0, second.err);
  BOOST_TEST(contains(second.err, "skipped"), second.err);
  // Counts are emitted per batch, and batches differ from run to run; the
  // last count of each value must not.
  BOOST_TEST((final_counts(read("counts.tsv")) == expected));
}

BOOST_AUTO_TEST_SUITE_END()
