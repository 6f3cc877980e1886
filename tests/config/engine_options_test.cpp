#include "config/engine_options.hpp"

#include "config/value_parsers.hpp"
#include "tests/config/job_file_fixture.hpp"
#include "tests/support/caf_printing.hpp"
#include "tests/support/failure_text.hpp"

#include <boost/test/unit_test.hpp>

#include <chrono>

using namespace sluice;
using namespace sluice::config;
using namespace std::chrono_literals;
using sluice::testing::failure_text;
using sluice::testing::job_file_fixture;

namespace {

/// A minimal graph, so that the engine sections are read in a valid file.
constexpr const char* graph = "[stage.numbers]\n"
                              "type = generator\n"
                              "count = 10\n"
                              "[stage.out]\n"
                              "type = stdout\n"
                              "input = numbers\n";

/// The line of `text` that starts with `start`.
std::string line_with(const std::string& text, const std::string& start) {
  auto i = text.find("\n" + start);
  if (i == std::string::npos)
    return {};
  return text.substr(i + 1, text.find('\n', i + 1) - i - 1);
}

} // namespace

BOOST_AUTO_TEST_SUITE(engine_options_tests)

BOOST_AUTO_TEST_CASE(values_parse_with_their_units) {
  BOOST_TEST(parse_duration("500ms").value().count() == 500000000);
  BOOST_TEST(parse_duration("1.5s").value().count() == 1500000000);
  BOOST_TEST(parse_duration("2min").value().count() == 120000000000);
  BOOST_TEST(parse_duration("0").value().count() == 0);
  BOOST_TEST(!parse_duration("500"));
  BOOST_TEST(!parse_duration("-1s"));
  BOOST_TEST(!parse_duration("5 parsecs"));
  BOOST_TEST(format_duration(120s) == "2min");
  BOOST_TEST(format_duration(5ms) == "5ms");
  BOOST_TEST(parse_unsigned("1_000_000").value() == 1000000u);
  BOOST_TEST(!parse_unsigned("four"));
  BOOST_TEST(!parse_unsigned("18446744073709551616")); // 2^64
  BOOST_TEST(parse_integer("-42").value() == -42);
  BOOST_TEST(parse_real("2.5").value() == 2.5);
  BOOST_TEST(!parse_real("2.5.1"));
  BOOST_TEST(split_list("[\"a\", b ,, c]")
               == (std::vector<std::string>{"a", "b", "c"}),
             boost::test_tools::per_element());
}

BOOST_FIXTURE_TEST_CASE(engine_sections_set_every_kind_of_value,
                        job_file_fixture) {
  std::filesystem::create_directory(dir.path() / "state");
  auto spec = read(std::string{"[engine]\n"
                               "parallelism = 4\n"
                               "batch-linger = 2ms\n"
                               "[scheduler]\n"
                               "threads = 2\n"
                               "[checkpoints]\n"
                               "store = state/job.db\n"
                               "interval = 250ms\n"
                               "mode = at-least-once\n"
                               "[restarts]\n"
                               "jitter = 0.5\n"
                               "[log]\n"
                               "level = info\n"
                               "[metrics]\n"
                               "port = 9464\n"}
                   + graph);
  BOOST_TEST_REQUIRE(static_cast<bool>(spec), failure_text(spec));
  auto& s = spec->settings;
  BOOST_TEST(s.parallelism == 4u);
  BOOST_TEST(format_duration(s.batch_linger) == "2ms");
  BOOST_TEST(s.batch_size == 1024u); // untouched: the default
  BOOST_TEST(s.scheduler.threads == 2u);
  // Relative to the job file's folder, not the working directory.
  BOOST_TEST(s.checkpoints.store == dir.file("state/job.db"));
  BOOST_TEST(format_duration(s.checkpoints.interval) == "250ms");
  BOOST_TEST(s.checkpoints.mode == protocol::checkpoint_mode::at_least_once);
  BOOST_TEST(s.restarts.jitter == 0.5);
  BOOST_TEST(s.log.level == log_level::info);
  BOOST_TEST(s.metrics.port == 9464u);
}

BOOST_FIXTURE_TEST_CASE(a_misspelled_key_is_rejected_not_dropped,
                        job_file_fixture) {
  // CAF would ignore this line and keep the default interval.
  BOOST_TEST(error_of(std::string{"[checkpoints]\n"
                                  "store = job.db\n"
                                  "intervall = 5s\n"}
                      + graph)
             == job()
                  + ":3: key 'intervall' in [checkpoints]: unknown key; "
                    "[checkpoints] knows store, interval, max-replay-records, "
                    "max-replay-time, max-overhead, min-interval, "
                    "max-interval, timeout, mode, "
                    "max-concurrent, retain, full-every, store-niceness");
  BOOST_TEST(code_of(std::string{"[scheduler]\nmax-thread = 3\n"} + graph)
             == errc::unknown_key);
}

BOOST_FIXTURE_TEST_CASE(a_value_of_the_wrong_type_is_rejected_not_dropped,
                        job_file_fixture) {
  // CAF would drop both values and keep the defaults.
  BOOST_TEST(error_of(std::string{"[checkpoints]\ninterval = 500\n"} + graph)
             == job()
                  + ":2: key 'interval' in [checkpoints]: expected a "
                    "duration such as 500ms, 10s or 2min, or 0, got '500'");
  BOOST_TEST(error_of(std::string{"[engine]\nparallelism = four\n"} + graph)
             == job()
                  + ":2: key 'parallelism' in [engine]: expected an "
                    "integer from 1 to 4294967295, got 'four'");
  BOOST_TEST(
    error_of(std::string{"[checkpoints]\nmode = exactly-twice\n"} + graph)
    == job()
         + ":2: key 'mode' in [checkpoints]: expected one of "
           "exactly-once|at-least-once, got 'exactly-twice'");
  BOOST_TEST(code_of(std::string{"[metrics]\nport = 70000\n"} + graph)
             == errc::wrong_type);
  BOOST_TEST(
    error_of(std::string{"[checkpoints]\nstore-niceness = 20\n"} + graph)
    == job()
         + ":2: key 'store-niceness' in [checkpoints]: expected an integer "
           "from 0 to 19, got '20'");
}

BOOST_FIXTURE_TEST_CASE(replay_and_overhead_targets_make_the_interval_adapt,
                        job_file_fixture) {
  auto spec = read(std::string{"[checkpoints]\n"
                               "store = job.db\n"
                               "max-replay-records = 50_000\n"
                               "max-replay-time = 30s\n"
                               "max-overhead = 0.1\n"
                               "min-interval = 200ms\n"
                               "max-interval = 1min\n"}
                   + graph);
  BOOST_TEST_REQUIRE(static_cast<bool>(spec), failure_text(spec));
  auto& t = spec->settings.checkpoints.targets;
  BOOST_TEST(t.adaptive());
  BOOST_TEST(t.max_replay_records == 50'000u);
  BOOST_TEST(format_duration(t.max_replay_time) == "30s");
  BOOST_TEST(t.max_overhead == 0.1);
  BOOST_TEST(format_duration(t.min_interval) == "200ms");
  BOOST_TEST(format_duration(t.max_interval) == "1min");
  // Neither: today's fixed interval.
  auto plain = read(std::string{"[checkpoints]\nstore = job.db\n"} + graph);
  BOOST_TEST_REQUIRE(static_cast<bool>(plain), failure_text(plain));
  BOOST_TEST(!plain->settings.checkpoints.targets.adaptive());
  BOOST_TEST(format_duration(plain->settings.checkpoints.interval) == "10s");
}

BOOST_FIXTURE_TEST_CASE(bad_adaptive_settings_name_file_and_line,
                        job_file_fixture) {
  BOOST_TEST(
    error_of(std::string{"[checkpoints]\nmax-overhead = 1.5\n"} + graph)
    == job()
         + ":2: key 'max-overhead' in [checkpoints]: expected a number from 0 "
           "to 1, got '1.5'");
  BOOST_TEST(
    error_of(std::string{"[checkpoints]\n\nmax-replay-records = lots\n"}
             + graph)
    == job()
         + ":3: key 'max-replay-records' in [checkpoints]: expected an "
           "integer from 0 to 18446744073709551615, got 'lots'");
  BOOST_TEST(
    error_of(std::string{"[checkpoints]\nmin-interval = 0\n"} + graph)
    == job()
         + ":2: key 'min-interval' in [checkpoints]: expected a duration "
           "above 0, such as 500ms, 10s or 2min, got '0'");
  BOOST_TEST(error_of(std::string{"[checkpoints]\n"
                                  "min-interval = 10s\n"
                                  "max-interval = 5s\n"}
                      + graph)
             == job()
                  + ":3: key 'max-interval' in [checkpoints]: max-interval "
                    "(5s) is below min-interval (10s) (min-interval: set at "
                  + job() + ":2)");
}

BOOST_FIXTURE_TEST_CASE(command_line_overrides_win_over_the_file,
                        job_file_fixture) {
  auto spec = read(std::string{"[engine]\nbatch-size = 64\n"} + graph,
                   {"--engine.batch-size=128", "--checkpoints.interval=3s"});
  BOOST_TEST_REQUIRE(static_cast<bool>(spec), failure_text(spec));
  BOOST_TEST(spec->settings.batch_size == 128u);
  BOOST_TEST(format_duration(spec->settings.checkpoints.interval) == "3s");
  BOOST_TEST(
    error_of(graph, {"--engine.batch-sise=128"})
    == "command line: option '--engine.batch-sise=128': unknown key "
       "'batch-sise'; [engine] knows parallelism, batch-size, "
       "batch-linger, max-buffered-records, key-groups, latency-interval");
  BOOST_TEST(error_of(graph, {"--engine.batch-size=many"})
             == "command line: option '--engine.batch-size': expected an "
                "integer from 1 to 4294967295, got 'many'");
}

BOOST_AUTO_TEST_CASE(help_lists_every_setting_with_its_default) {
  engine_settings defaults;
  auto help = describe_engine_options(defaults);
  for (auto& o : engine_options()) {
    BOOST_TEST_CONTEXT(o.section << "." << o.key) {
      BOOST_TEST(help.find("[" + o.section + "]") != std::string::npos);
      BOOST_TEST(help.find(o.key + " ") != std::string::npos);
    }
  }
  BOOST_TEST(line_with(help, "    interval ").find(" 10s ")
             != std::string::npos);
  BOOST_TEST(line_with(help, "    batch-size ").find(" 1024 ")
             != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
