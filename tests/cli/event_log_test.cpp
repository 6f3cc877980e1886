#include "tests/cli/cli_fixture.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <optional>
#include <regex>
#include <sstream>

using namespace sluice;
using namespace sluice::testing;

namespace {

/// A recovery drill: 20000 numbers counted per value, checkpoints every
/// 50 ms, and one injected fault in the counting stage halfway through.
/// `log` and `restarts` are more lines of those sections.
std::string drill_job(const std::string& log,
                      const std::string& restarts = "") {
  return "[job]\nname = drill\n"
         "[checkpoints]\nstore = drill.db\ninterval = 50ms\n"
         "[faults]\nstage = counts\nafter-records = 10000\ncount = 1\n"
         "[restarts]\ninitial-backoff = 0s\n"
         + restarts + "[log]\n" + log
         + "[stage.numbers]\ntype = generator\ncount = 20000\nrate = 40000\n"
           "values = 10\n"
           "[stage.by-value]\ntype = key-by\ninput = numbers\nfield = value\n"
           "[stage.counts]\ntype = count\ninput = by-value\n"
           "[stage.out]\ntype = file-sink\ninput = counts\npath = counts.tsv\n";
}

/// One line of the event log:
/// `2026-11-22T03:10:00.123Z INFO [drill] checkpoint 5 completed ...`.
struct event {
  std::chrono::system_clock::time_point time;
  std::string level;
  std::string text;
};

/// The lines of `output` written by the event log of job 'drill', in
/// order; other lines (the command's own) are skipped.
std::vector<event> events_in(const std::string& output) {
  static const std::regex line_format{
    R"(^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)\.(\d{3})Z )"
    R"((DEBUG|INFO|WARNING|ERROR) \[drill\] (.*)$)"};
  std::vector<event> result;
  std::istringstream in{output};
  for (std::string line; std::getline(in, line);) {
    std::smatch m;
    if (!std::regex_match(line, m, line_format))
      continue;
    std::tm utc{};
    utc.tm_year = std::stoi(m[1]) - 1900;
    utc.tm_mon = std::stoi(m[2]) - 1;
    utc.tm_mday = std::stoi(m[3]);
    utc.tm_hour = std::stoi(m[4]);
    utc.tm_min = std::stoi(m[5]);
    utc.tm_sec = std::stoi(m[6]);
    auto time = std::chrono::system_clock::from_time_t(timegm(&utc))
                + std::chrono::milliseconds{std::stoi(m[7])};
    result.push_back(event{time, m[8], m[9]});
  }
  return result;
}

/// The index of the first event at `level` whose text starts with
/// `prefix`.
std::optional<size_t> find_event(const std::vector<event>& xs,
                                 const std::string& level,
                                 const std::string& prefix) {
  for (size_t i = 0; i < xs.size(); ++i)
    if (xs[i].level == level
        && xs[i].text.compare(0, prefix.size(), prefix) == 0)
      return i;
  return std::nullopt;
}

/// Every line ends with a newline and is an event line: nothing else
/// writes into the log file.
void check_only_events(const std::string& text) {
  BOOST_TEST(!text.empty());
  BOOST_TEST(text.back() == '\n');
  auto lines = static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
  BOOST_TEST(events_in(text).size() == lines, text);
}

/// What the drill must log at level info: checkpoints completed, the
/// failure (a warning), then the recovery from it, and the end of the job.
void check_drill_events(const std::vector<event>& xs,
                        std::chrono::system_clock::time_point before,
                        std::chrono::system_clock::time_point after) {
  auto completed = find_event(xs, "INFO", "checkpoint ");
  BOOST_TEST_REQUIRE(completed.has_value());
  BOOST_TEST(xs[*completed].text.find(" completed: ") != std::string::npos,
             xs[*completed].text);
  auto failure
    = find_event(xs, "WARNING", "failure of stage 'counts' instance 0/1: ");
  BOOST_TEST_REQUIRE(failure.has_value());
  BOOST_TEST(xs[*failure].text.find("injected fault after 10000 records")
               != std::string::npos,
             xs[*failure].text);
  auto recovered = find_event(xs, "INFO",
                              "recovered from the failure of stage 'counts' "
                              "instance 0: restored checkpoint ");
  BOOST_TEST_REQUIRE(recovered.has_value());
  BOOST_TEST(*failure < *recovered);
  auto finished = find_event(xs, "INFO", "job finished: ");
  BOOST_TEST_REQUIRE(finished.has_value());
  BOOST_TEST(xs[*finished].text.find(", 1 recoveries") != std::string::npos,
             xs[*finished].text);
  // The final checkpoint completes as the job ends. (Not asserted to
  // follow the recovery line: the coordinator and the runner write their
  // lines from different actors.)
  BOOST_TEST(std::any_of(xs.begin(), xs.end(), [](auto& x) {
    return x.level == "INFO" && x.text.find(" completed: ") != std::string::npos
           && x.text.find("(final)") != std::string::npos;
  }));
  // Times are UTC, and of this run: not local time, not a fixed stamp.
  // Lines carry milliseconds, cut, not rounded.
  for (auto& x : xs) {
    BOOST_TEST((x.time >= before - std::chrono::milliseconds{1}), x.text);
    BOOST_TEST((x.time <= after), x.text);
  }
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(event_log_tests, cli_fixture)

BOOST_AUTO_TEST_CASE(
  standard_error_shows_checkpoints_a_failure_and_the_recovery) {
  auto job = write("drill.ini", drill_job("level = info\n"));
  auto before = std::chrono::system_clock::now();
  auto r = run_sluice({"run", job});
  auto after = std::chrono::system_clock::now();
  BOOST_TEST_REQUIRE(r.code == 0, r.err);
  auto xs = events_in(r.err);
  check_drill_events(xs, before, after);
  // Fault injection announces itself, once.
  BOOST_TEST(
    std::count_if(xs.begin(), xs.end(),
                  [](auto& x) {
                    return x.level == "WARNING"
                           && x.text == "fault injection on: seed 0, 1 faults";
                  })
    == 1);
  // The command's own lines go on beside the log.
  BOOST_TEST(contains(r.err, "sluice: job 'drill' started"), r.err);
  BOOST_TEST(contains(r.err, "sluice: job 'drill' finished after"), r.err);
}

BOOST_AUTO_TEST_CASE(a_log_file_gets_the_events_and_is_appended_to) {
  auto job = write("drill.ini", drill_job("level = info\nfile = drill.log\n"));
  auto before = std::chrono::system_clock::now();
  auto r = run_sluice({"run", job});
  auto after = std::chrono::system_clock::now();
  BOOST_TEST_REQUIRE(r.code == 0, r.err);
  auto first = read("drill.log");
  check_only_events(first);
  check_drill_events(events_in(first), before, after);
  // Standard error keeps the command's lines and none of the log's.
  BOOST_TEST(events_in(r.err).empty(), r.err);
  BOOST_TEST(contains(r.err, "sluice: job 'drill' started"), r.err);
  // A second run appends; the first run's lines stay as they were.
  auto again = run_sluice({"run", job, "--fresh"});
  BOOST_TEST_REQUIRE(again.code == 0, again.err);
  auto both = read("drill.log");
  BOOST_TEST_REQUIRE(both.size() > first.size());
  BOOST_TEST(both.compare(0, first.size(), first) == 0);
  check_only_events(both);
  auto xs = events_in(both);
  BOOST_TEST(std::count_if(xs.begin(), xs.end(),
                           [](auto& x) {
                             return x.text.compare(0, 14, "job finished: ")
                                    == 0;
                           })
             == 2);
}

BOOST_AUTO_TEST_CASE(the_level_hides_the_events_below_it) {
  // warning (the default): the failure, not the checkpoints or the
  // recovery.
  auto job = write("drill.ini", drill_job("file = drill.log\n"));
  auto r = run_sluice({"run", job});
  BOOST_TEST_REQUIRE(r.code == 0, r.err);
  auto xs = events_in(read("drill.log"));
  BOOST_TEST(
    find_event(xs, "WARNING", "failure of stage 'counts' ").has_value());
  BOOST_TEST(!find_event(xs, "INFO", "").has_value());
  // error: a job that recovers logs nothing at all.
  job = write("drill.ini", drill_job("level = error\nfile = quiet.log\n"));
  r = run_sluice({"run", job, "--fresh"});
  BOOST_TEST_REQUIRE(r.code == 0, r.err);
  BOOST_TEST(read("quiet.log") == "");
  BOOST_TEST(events_in(r.err).empty(), r.err);
  // error: a job that fails (no restarts allowed) logs that, and only
  // that.
  job = write("drill.ini", drill_job("level = error\nfile = failed.log\n",
                                     "max-restarts = 0\n"));
  r = run_sluice({"run", job, "--fresh"});
  BOOST_TEST_REQUIRE(r.code == 1, r.err);
  auto failed = read("failed.log");
  check_only_events(failed);
  xs = events_in(failed);
  BOOST_TEST(find_event(xs, "ERROR", "job failed: ").has_value(), failed);
  for (auto& x : xs)
    BOOST_TEST(x.level == "ERROR", x.text);
  // off: nothing, not even that.
  job = write("drill.ini",
              drill_job("level = off\nfile = off.log\n", "max-restarts = 0\n"));
  r = run_sluice({"run", job, "--fresh"});
  BOOST_TEST_REQUIRE(r.code == 1, r.err);
  BOOST_TEST(read("off.log") == "");
}

BOOST_AUTO_TEST_SUITE_END()
