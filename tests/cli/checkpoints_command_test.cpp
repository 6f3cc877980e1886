#include "state/checkpoint_store.hpp"
#include "tests/cli/cli_fixture.hpp"

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <cmath>
#include <ctime>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

using namespace sluice;
using namespace sluice::testing;

namespace {

/// 20000 numbers counted per value (100 keys of state). No periodic
/// checkpoints: each run takes one, its final, so the listing is the same
/// every time.
constexpr const char* counts_job
  = "[job]\nname = counts\n"
    "[checkpoints]\nstore = counts.db\ninterval = 0\nfull-every = 3\n"
    "[stage.numbers]\ntype = generator\ncount = 20000\nrate = 40000\n"
    "values = 100\n"
    "[stage.by-value]\ntype = key-by\ninput = numbers\nfield = value\n"
    "[stage.counts]\ntype = count\ninput = by-value\n"
    "[stage.out]\ntype = file-sink\ninput = counts\npath = counts.tsv\n";

/// One row of `sluice checkpoints`, its columns parsed.
struct listed_checkpoint {
  uint64_t id = 0;
  std::chrono::system_clock::time_point completed;
  double bytes = 0;
  /// The precision of `bytes`: half its last printed digit.
  double bytes_error = 0;
  std::string kind;
  std::string restores; ///< "yes", or "no: " and why.
};

/// The rows of a listing, in order; fails on a row it cannot read.
std::vector<listed_checkpoint> rows_of(const std::string& listing) {
  static const std::regex row_format{
    R"(^(\d+) +(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d) +)"
    R"((\d+|\d+\.\d) (B|KiB|MiB|GiB) +(\S.*?) +(yes|no: .*)$)"};
  std::vector<listed_checkpoint> result;
  std::istringstream in{listing};
  std::string line;
  std::getline(in, line); // checkpoints of job ...
  std::getline(in, line); // the header
  BOOST_TEST_REQUIRE(line.compare(0, 2, "id") == 0, listing);
  while (std::getline(in, line)) {
    if (line.compare(0, 12, "`sluice run`") == 0)
      break; // the summary
    std::smatch m;
    BOOST_TEST_REQUIRE(std::regex_match(line, m, row_format), line);
    listed_checkpoint x;
    x.id = std::stoull(m[1]);
    std::tm utc{};
    utc.tm_year = std::stoi(m[2]) - 1900;
    utc.tm_mon = std::stoi(m[3]) - 1;
    utc.tm_mday = std::stoi(m[4]);
    utc.tm_hour = std::stoi(m[5]);
    utc.tm_min = std::stoi(m[6]);
    utc.tm_sec = std::stoi(m[7]);
    x.completed = std::chrono::system_clock::from_time_t(timegm(&utc));
    auto& name = m[9];
    double unit = name == "B"     ? 1
                  : name == "KiB" ? 1024.0
                  : name == "MiB" ? 1024.0 * 1024
                                  : 1024.0 * 1024 * 1024;
    x.bytes = std::stod(m[8]) * unit;
    x.bytes_error = unit == 1 ? 0 : 0.05 * unit;
    x.kind = m[10];
    x.restores = m[11];
    result.push_back(x);
  }
  return result;
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(checkpoints_command_tests, cli_fixture)

BOOST_AUTO_TEST_CASE(rows_show_id_time_size_and_kind) {
  auto job = write("counts.ini", counts_job);
  auto before = std::chrono::system_clock::now();
  // Three runs, each resuming from the one before: checkpoint 1 is full,
  // 2 and 3 are deltas on it (full-every = 3).
  for (int run = 0; run < 3; ++run) {
    auto r = run_sluice({"run", job});
    BOOST_TEST_REQUIRE(r.code == 0, r.err);
    BOOST_TEST(contains(r.err, "last checkpoint " + std::to_string(run + 1)),
               r.err);
  }
  auto after = std::chrono::system_clock::now();
  auto listed = run_sluice({"checkpoints", job});
  BOOST_TEST_REQUIRE(listed.code == 0, listed.err);
  BOOST_TEST(contains(listed.out, "checkpoints of job 'counts' in "
                                    + dir.file("counts.db")
                                    + ", newest first:\n"),
             listed.out);
  auto xs = rows_of(listed.out);
  BOOST_TEST_REQUIRE(xs.size() == 3u, listed.out);
  // Newest first; the kind names the base of a delta.
  BOOST_TEST(xs[0].id == 3u);
  BOOST_TEST(xs[1].id == 2u);
  BOOST_TEST(xs[2].id == 1u);
  BOOST_TEST(xs[0].kind == "incremental (base 1)");
  BOOST_TEST(xs[1].kind == "incremental (base 1)");
  BOOST_TEST(xs[2].kind == "full");
  // Sizes: what the store holds for each checkpoint, to the printed
  // precision. The full one carries the 100 counts; the deltas, taken
  // after the input ended, change none of them and are smaller.
  auto stored = rows("counts.db", "SELECT checkpoint, SUM(LENGTH(payload)) "
                                  "FROM snapshots GROUP BY checkpoint "
                                  "ORDER BY checkpoint DESC");
  BOOST_TEST_REQUIRE(stored.size() == 3u);
  for (size_t i = 0; i < xs.size(); ++i) {
    BOOST_TEST_CONTEXT("checkpoint " << xs[i].id) {
      auto bar = stored[i].find('|');
      BOOST_TEST(std::stoull(stored[i].substr(0, bar)) == xs[i].id);
      auto bytes = std::stod(stored[i].substr(bar + 1));
      BOOST_TEST(xs[i].bytes > 0);
      BOOST_TEST(std::abs(xs[i].bytes - bytes) <= xs[i].bytes_error,
                 xs[i].bytes << " listed, " << bytes << " stored");
    }
  }
  BOOST_TEST(xs[2].bytes > xs[1].bytes);
  BOOST_TEST(xs[2].bytes > xs[0].bytes);
  // Times: UTC, to the second, within the runs, in order.
  for (auto& x : xs) {
    BOOST_TEST_CONTEXT("checkpoint " << x.id) {
      BOOST_TEST((x.completed >= before - std::chrono::seconds{1}));
      BOOST_TEST((x.completed <= after));
    }
  }
  BOOST_TEST((xs[0].completed >= xs[1].completed));
  BOOST_TEST((xs[1].completed >= xs[2].completed));
  for (auto& x : xs)
    BOOST_TEST(x.restores == "yes");
  BOOST_TEST(contains(listed.out, "`sluice run` resumes from checkpoint 3\n"),
             listed.out);
}

BOOST_AUTO_TEST_CASE(a_damaged_checkpoint_is_listed_as_skipped) {
  auto job = write("counts.ini", counts_job);
  for (int run = 0; run < 3; ++run) {
    auto r = run_sluice({"run", job});
    BOOST_TEST_REQUIRE(r.code == 0, r.err);
  }
  {
    // One byte of checkpoint 3's counts flipped on disk.
    auto store = state::checkpoint_store::open(dir.file("counts.db"));
    BOOST_TEST_REQUIRE(static_cast<bool>(store));
    auto chain = store->chain(protocol::checkpoint_id{3}, "counts", 0);
    BOOST_TEST_REQUIRE(static_cast<bool>(chain));
    auto payload = chain->back();
    payload[payload.size() / 2] ^= 0x04;
    BOOST_TEST_REQUIRE(!store->replace_payload(protocol::checkpoint_id{3},
                                               "counts", 0, payload));
  }
  auto listed = run_sluice({"checkpoints", job});
  BOOST_TEST(listed.code == 1, listed.err);
  auto xs = rows_of(listed.out);
  BOOST_TEST_REQUIRE(xs.size() == 3u, listed.out);
  BOOST_TEST(contains(xs[0].restores, "no: "), xs[0].restores);
  BOOST_TEST(contains(xs[0].restores, "checksum mismatch"), xs[0].restores);
  BOOST_TEST(xs[1].restores == "yes");
  BOOST_TEST(xs[2].restores == "yes");
  BOOST_TEST(contains(listed.out, "`sluice run` resumes from checkpoint 2, "
                                  "skipping damaged checkpoint 3\n"),
             listed.out);
}

BOOST_AUTO_TEST_SUITE_END()
