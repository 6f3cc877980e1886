#include "observability/status_command.hpp"

#include "observability/errc.hpp"
#include "observability/http_get.hpp"
#include "observability/metrics_server.hpp"
#include "sluice.hpp"
#include "tests/support/actor_system_fixture.hpp"
#include "tests/support/caf_printing.hpp"
#include "tests/support/stop_on_exit.hpp"

#include <boost/test/unit_test.hpp>

#include <sstream>

using namespace sluice;
using namespace std::chrono_literals;
using observability::parse_http_url;
using observability::status_command;
using sluice::testing::actor_system_fixture;
using sluice::testing::failure_text;
using sluice::testing::stop_on_exit;

BOOST_AUTO_TEST_SUITE(status_command_tests)

BOOST_AUTO_TEST_CASE(urls_name_host_port_and_path) {
  auto u = parse_http_url("http://127.0.0.1:9464/");
  BOOST_TEST_REQUIRE(static_cast<bool>(u), failure_text(u));
  BOOST_TEST(u->host == "127.0.0.1");
  BOOST_TEST(u->port == 9464u);
  BOOST_TEST(u->path == "/");
  u = parse_http_url("http://localhost");
  BOOST_TEST_REQUIRE(static_cast<bool>(u), failure_text(u));
  BOOST_TEST(u->port == 80u);
  BOOST_TEST(u->path == "/");
  u = parse_http_url("http://[::1]:8080/jobs/a/");
  BOOST_TEST_REQUIRE(static_cast<bool>(u), failure_text(u));
  BOOST_TEST(u->host == "::1");
  BOOST_TEST(u->port == 8080u);
  BOOST_TEST(u->path == "/jobs/a/");
  for (auto bad : {"https://x/", "127.0.0.1:80", "http://:80/", "http://x:0/",
                   "http://x:99999/", "http://x:8o/", "http://u@x/"}) {
    BOOST_TEST_CONTEXT(bad) {
      auto b = parse_http_url(bad);
      BOOST_TEST_REQUIRE(!b);
      BOOST_TEST(b.error() == observability::errc::bad_url);
    }
  }
}

BOOST_AUTO_TEST_CASE(bad_arguments_exit_with_2_and_say_how) {
  for (auto args :
       {std::vector<std::string>{}, std::vector<std::string>{"ftp://x/"},
        std::vector<std::string>{"http://x/", "--watch", "0"},
        std::vector<std::string>{"http://x/", "extra"}}) {
    std::ostringstream out, err;
    BOOST_TEST(status_command(args, out, err) == 2);
    BOOST_TEST(err.str().find("sluice status") != std::string::npos);
  }
  std::ostringstream out, err;
  BOOST_TEST(status_command({"--help"}, out, err) == 0);
  BOOST_TEST(out.str().find("usage: sluice status URL") != std::string::npos);
}

BOOST_FIXTURE_TEST_CASE(a_running_job_is_printed_as_text,
                        actor_system_fixture) {
  job_builder job{"printed"};
  job
    .source("numbers",
            generate(unbounded, 1, [](uint64_t i, uint64_t) { return i; })
              .rate(10000))
    .map("double", [](uint64_t x) { return 2 * x; })
    .parallelism(2)
    .for_each("drop", [](uint64_t) {});
  auto handle = job.start(sys);
  BOOST_TEST_REQUIRE(static_cast<bool>(handle), failure_text(handle));
  stop_on_exit stops_handle{*handle};
  metrics_server_settings settings;
  settings.sample_every = 50ms;
  metrics_server server{*handle, *graph_of(job), settings};
  BOOST_TEST_REQUIRE(static_cast<bool>(server.start()));
  std::ostringstream out, err;
  auto rc = status_command({server.url()}, out, err);
  handle->stop();
  BOOST_TEST_REQUIRE(static_cast<bool>(handle->wait()));
  BOOST_TEST(rc == 0, err.str());
  auto text = out.str();
  BOOST_TEST_MESSAGE(text);
  BOOST_TEST(text.find("job printed: running") != std::string::npos);
  auto rows = [&](const std::string& stage) {
    size_t n = 0;
    for (auto at = text.find("\n" + stage + " "); at != std::string::npos;
         at = text.find("\n" + stage + " ", at + 1))
      ++n;
    return n;
  };
  BOOST_TEST(rows("numbers") == 1u);
  BOOST_TEST(rows("double") == 2u);
  BOOST_TEST(rows("drop") == 1u);
  BOOST_TEST(text.find("numbers -> double (rebalance)") != std::string::npos);
  BOOST_TEST(text.find("recoveries: none") != std::string::npos);
  // With --watch it stops by itself once the job ended.
  std::ostringstream watched, watch_err;
  BOOST_TEST(
    status_command({server.url(), "--watch", "0.05"}, watched, watch_err) == 0);
  BOOST_TEST(watched.str().find("job printed: ended") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(an_unreachable_server_exits_with_1) {
  // A port that was just free: nothing listens there any more.
  uint16_t port = 0;
  {
    caf::actor_system_config cfg;
    cfg.set("logger.console", caf::atom("none"));
    caf::actor_system sys{cfg};
    job_builder job{"gone"};
    job.source("gen", generate(1, 1, [](uint64_t i, uint64_t) { return i; }))
      .for_each("sink", [](uint64_t) {});
    auto handle = job.start(sys);
    BOOST_TEST_REQUIRE(static_cast<bool>(handle), failure_text(handle));
    stop_on_exit stops_handle{*handle};
    BOOST_TEST_REQUIRE(static_cast<bool>(handle->wait()));
    metrics_server server{*handle, *graph_of(job)};
    auto p = server.start();
    BOOST_TEST_REQUIRE(static_cast<bool>(p), failure_text(p));
    port = *p;
  }
  std::ostringstream out, err;
  auto url = "http://127.0.0.1:" + std::to_string(port) + "/";
  BOOST_TEST(status_command({url}, out, err) == 1);
  BOOST_TEST(err.str().find("no answer from") != std::string::npos, err.str());
}

BOOST_AUTO_TEST_SUITE_END()
