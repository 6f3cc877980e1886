#include "tests/support/child_process.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <thread>
#include <vector>

using sluice::testing::child_process;
using sluice::testing::temp_dir;
namespace fs = std::filesystem;

namespace {

/// Published files of a sink, oldest epoch first (names sort by checkpoint).
std::vector<fs::path> published(const fs::path& dir) {
  std::vector<fs::path> files;
  if (!fs::exists(dir))
    return files;
  for (auto& entry : fs::directory_iterator(dir))
    if (entry.is_regular_file())
      files.push_back(entry.path());
  // "counts-1-00000000000000000007.txt": order by checkpoint, then name.
  std::sort(files.begin(), files.end(), [](auto& x, auto& y) {
    auto stamp = [](const fs::path& p) {
      auto s = p.stem().string();
      return s.substr(s.rfind('-') + 1);
    };
    return std::make_pair(stamp(x), x.string())
           < std::make_pair(stamp(y), y.string());
  });
  return files;
}

} // namespace

BOOST_AUTO_TEST_SUITE(sigkill_exactly_once_tests)

BOOST_AUTO_TEST_CASE(a_job_killed_five_times_publishes_every_record_once) {
  temp_dir dir;
  auto store = dir.file("job.db");
  auto out = dir.file("out");
  std::mt19937_64 rng{std::random_device{}()};
  auto seed = rng();
  BOOST_TEST_MESSAGE("seed " << seed);
  rng.seed(seed);
  for (int kill = 0; kill < 6; ++kill) {
    child_process child{{SLUICE_EXACTLY_ONCE_CHILD, store, out}};
    BOOST_TEST_REQUIRE(child.wait_for_line("started"));
    std::this_thread::sleep_for(std::chrono::milliseconds(50 + rng() % 120));
    child.kill();
    // Killed, or (late in the loop) already finished; a run that failed on
    // its own is an error, not a kill.
    auto code = child.wait();
    BOOST_TEST_REQUIRE((code == 128 + SIGKILL || code == 0),
                       "run " << kill << " exited with " << code << ": "
                              << child.output());
  }
  // Then to the end.
  child_process last{{SLUICE_EXACTLY_ONCE_CHILD, store, out}};
  BOOST_TEST_REQUIRE(last.wait_for_line("finished"));
  BOOST_TEST(last.wait() == 0);
  std::vector<uint64_t> lines;
  for (auto& file : published(fs::path{out} / "lines")) {
    std::ifstream in{file};
    for (uint64_t x; in >> x;)
      lines.push_back(x);
  }
  std::sort(lines.begin(), lines.end());
  BOOST_TEST_REQUIRE(lines.size() == 200000u);
  for (uint64_t i = 0; i < lines.size(); ++i)
    BOOST_TEST_REQUIRE(lines[i] == i);
  // The count changelog: the latest line per key is the total.
  std::map<uint64_t, uint64_t> counts;
  for (auto& file : published(fs::path{out} / "counts")) {
    std::ifstream in{file};
    uint64_t k = 0;
    uint64_t n = 0;
    while (in >> k >> n)
      counts[k] = std::max(counts[k], n);
  }
  BOOST_TEST_REQUIRE(counts.size() == 100u);
  for (auto& [k, n] : counts)
    BOOST_TEST_REQUIRE(n == 2000u);
  // Nothing left staged.
  for (auto sink : {"lines", "counts"})
    BOOST_TEST(fs::is_empty(fs::path{out} / sink / ".staging"));
}

BOOST_AUTO_TEST_SUITE_END()
