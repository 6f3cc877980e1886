#include "observability/http_get.hpp"
#include "observability/metrics_server.hpp"
#include "sluice.hpp"
#include "tests/observability/scrape.hpp"
#include "tests/support/gate.hpp"
#include "tests/support/networked_actor_system.hpp"
#include "tests/support/stop_on_exit.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_node.hpp"
#include "tests/support/text.hpp"

#include <boost/test/unit_test.hpp>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>

using namespace sluice;
using namespace std::chrono_literals;
using sluice::testing::count_of;
using sluice::testing::eventually;
using sluice::testing::failure_text;
using sluice::testing::read_file;
using sluice::testing::scrape_sum;
using sluice::testing::stop_on_exit;

namespace {

/// Loads `url` in headless Chromium from Debian, lets the page poll for
/// three seconds of virtual time, and keeps the DOM, the console log and a
/// screenshot in `dir`; the browser's profile goes to `profile`. No network
/// but loopback: the resolver maps every other name to nothing.
int run_chromium(const std::string& url, const std::filesystem::path& dir,
                 const std::string& profile) {
  std::string chromium = SLUICE_CHROMIUM;
  std::string cmd
    = "timeout 60 " + chromium
      + " --headless --no-sandbox --disable-gpu --disable-quic"
        " --no-first-run --disable-background-networking"
        " --disable-component-update --disable-sync --user-data-dir="
      + profile
      + " --host-resolver-rules='MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'"
        " --enable-logging=stderr --v=0 --virtual-time-budget=3000"
        " --window-size=1000,900 --hide-scrollbars --screenshot="
      + (dir / "dashboard.png").string() + " --dump-dom " + url + " > "
      + (dir / "dom.html").string() + " 2> " + (dir / "chromium.log").string();
  return std::system(cmd.c_str());
}

/// The job watches a node: its actor system needs networking.
struct networked_fixture {
  sluice::testing::networked_config cfg;
  caf::actor_system sys{cfg};
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(dashboard_tests, networked_fixture)

BOOST_AUTO_TEST_CASE(the_dashboard_draws_the_graph_and_the_checkpoints_live) {
  std::string chromium = SLUICE_CHROMIUM;
  BOOST_TEST_REQUIRE(!chromium.empty(),
                     "chromium not found: run scripts/install-deps.sh");
  // The test output directory keeps what the browser saw.
  std::filesystem::path out = SLUICE_OBSERVABILITY_OUTPUT;
  std::filesystem::remove_all(out);
  std::filesystem::create_directories(out);
  sluice::testing::temp_dir dir;
  job_builder job{"dashboard"};
  job.settings().checkpoints.store = dir.file("job.db");
  job.settings().checkpoints.interval = 200ms;
  job.settings().batch_size = 64;
  job.settings().max_buffered_records = 1024;
  // The sink takes records until the test stops it for the rest of the run.
  auto stuck = std::make_shared<sluice::testing::gate>();
  auto stop = std::make_shared<std::atomic<bool>>(false);
  job
    .source("numbers", generate(unbounded, 1,
                                [](uint64_t i, uint64_t) { return i % 1000; }))
    .map("parse", [](uint64_t x) { return x + 1; })
    .parallelism(2)
    .key_by([](uint64_t x) { return x; })
    .count("count")
    .parallelism(2)
    .for_each("stuck", [stuck, stop](const std::pair<uint64_t, uint64_t>&) {
      if (*stop)
        stuck->pass();
    });
  sluice::testing::test_node node{"worker_a"};
  BOOST_TEST_REQUIRE(node.port != 0);
  job.settings().cluster.nodes.push_back(
    {"worker_a", "127.0.0.1", node.port, {"dashboard_test", 1}});
  auto graph = graph_of(job);
  BOOST_TEST_REQUIRE(static_cast<bool>(graph), failure_text(graph));
  auto handle = job.start(sys);
  BOOST_TEST_REQUIRE(static_cast<bool>(handle), failure_text(handle));
  stop_on_exit stops_handle{*handle};
  sluice::testing::open_on_exit lets_it_go{*stuck};
  metrics_server_settings settings;
  settings.sample_every = 100ms;
  settings.rate_window = 2s;
  metrics_server server{*handle, *graph, settings};
  BOOST_TEST_REQUIRE(static_cast<bool>(server.start()));
  // Live values first: a full rate window and a few checkpoints.
  BOOST_TEST_REQUIRE(eventually([&] {
    auto& cps = handle->metrics();
    return cps.checkpoints().size() >= 3 && server.samples() >= 25
           && cps.nodes().front()->up;
  }));
  // Then the sink stops. The first count instance to use up its credit
  // gets no more, and stops taking records; the other may then run dry
  // with credit left. Once the rate window holds only samples taken since,
  // the first spent all of it backpressured.
  *stop = true;
  BOOST_TEST_REQUIRE(stuck->wait_for_arrival(120s));
  observability::http_url metrics{"127.0.0.1", server.port(), "/metrics"};
  std::string text;
  std::string held_back; // "count/0" or "count/1"
  BOOST_TEST_REQUIRE(
    eventually([&] {
      auto body = observability::http_get(metrics, 10s);
      text = body ? *body : std::string{};
      for (auto instance : {"0", "1"})
        if (scrape_sum(
              text, "sluice_backpressured_ratio",
              {"stage=\"count\"", std::string{"instance=\""} + instance + "\""})
            == 1.0) {
          held_back = std::string{"count/"} + instance;
          return true;
        }
      return false;
    }),
    text);
  auto rc = run_chromium(server.url(), out, dir.file("profile"));
  auto instances = handle->metrics().instances().size();
  stuck->open();
  handle->stop();
  BOOST_TEST_REQUIRE(static_cast<bool>(handle->wait()));
  auto dom = read_file((out / "dom.html").string());
  auto log = read_file((out / "chromium.log").string());
  BOOST_TEST_MESSAGE("chromium exited with " << rc << "; output in " << out);
  BOOST_TEST_REQUIRE(!dom.empty(), "no DOM from chromium: " << log);
  BOOST_TEST(log.find("Uncaught") == std::string::npos, log);
  // The page polled api/state more than once: its values are live.
  BOOST_TEST(std::regex_search(dom, std::regex{"live: update [2-9]"}), dom);
  BOOST_TEST(dom.find("Sluice job <span id=\"job\">dashboard</span>")
             != std::string::npos);
  BOOST_TEST(dom.find("running, up ") != std::string::npos);
  // The graph: a box per instance, labelled, and the edges' partitioning.
  BOOST_TEST(count_of(dom, "class=\"instance\"") == instances);
  for (auto name :
       {"numbers/0", "parse/0", "parse/1", "count/0", "count/1", "stuck/0"})
    BOOST_TEST(dom.find(std::string{">"} + name + "<") != std::string::npos,
               name);
  BOOST_TEST(count_of(dom, "class=\"edge\"") == 3u);
  BOOST_TEST(dom.find(">hash<") != std::string::npos);
  BOOST_TEST(std::regex_search(dom, std::regex{"[0-9.]+k?/s bp [0-9]+%"}));
  // In front of the stuck sink a count instance waits for credit.
  BOOST_TEST(dom.find("data-pressure=\"saturated\"><title>" + held_back)
               != std::string::npos,
             held_back);
  BOOST_TEST(dom.find("data-pressure=\"calm\"><title>stuck/0")
             != std::string::npos);
  // The checkpoint chart: bars, and the latest checkpoint in words.
  BOOST_TEST(count_of(dom, "class=\"bar\"") >= 3u);
  BOOST_TEST(std::regex_search(
    dom, std::regex{"[0-9]+ completed \\([0-9]+ full, [0-9]+ incremental\\)"}));
  BOOST_TEST(std::regex_search(dom, std::regex{"latest: checkpoint [0-9]+, "}));
  BOOST_TEST(dom.find("<li>none</li>") != std::string::npos); // recoveries
  BOOST_TEST(dom.find("<li class=\"node-up\">worker_a (127.0.0.1:"
                      + std::to_string(node.port)
                      + "): up, 1 joins, 0 losses</li>")
               != std::string::npos,
             dom);
  auto png = out / "dashboard.png";
  BOOST_TEST_REQUIRE(std::filesystem::exists(png), log);
  BOOST_TEST(std::filesystem::file_size(png) > 10000u);
}

BOOST_AUTO_TEST_SUITE_END()
