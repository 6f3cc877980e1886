#include "actors/node_actor.hpp"
#include "sluice.hpp"
#include "tests/support/actor_system_fixture.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/stop_on_exit.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <caf/io/middleman.hpp>
#include <caf/send.hpp>

#include <fstream>
#include <sstream>

using namespace sluice;
using sluice::testing::actor_system_fixture;
using sluice::testing::eventually;
using sluice::testing::failure_text;
using sluice::testing::stop_on_exit;
using sluice::testing::temp_dir;

namespace {

/// An actor system with networking; `heartbeats` as `sluice run` sets them
/// for a job with nodes.
struct networked_config : actor_system_fixture::config {
  explicit networked_config(bool heartbeats) {
    load<caf::io::middleman>();
    if (heartbeats) {
      set("middleman.heartbeat-interval",
          caf::timespan{std::chrono::milliseconds{100}});
      set("middleman.connection-timeout", caf::timespan{std::chrono::seconds{1}});
    }
  }
};

std::string read_file(const std::string& path) {
  std::ifstream in{path};
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// A job of endless numbers that watches `worker_a` at `port` and logs to
/// `log`.
job_builder watching_job(uint16_t port, const std::string& log) {
  job_builder job{"embedded"};
  job.settings().cluster.nodes.push_back(
    {"worker_a", "127.0.0.1", port, {"nodes_test", 1}});
  job.settings().cluster.reconnect_interval = std::chrono::milliseconds{100};
  job.settings().log.file = log;
  job.settings().log.level = config::log_level::info;
  auto numbers = generate(unbounded, 1, [](uint64_t i, uint64_t) { return i; });
  numbers.rate(1000);
  job.source("numbers", numbers).collect("out");
  return job;
}

} // namespace

BOOST_AUTO_TEST_SUITE(nodes_tests)

BOOST_AUTO_TEST_CASE(an_embedded_job_joins_its_node_and_sees_it_go) {
  temp_dir dir;
  // The node in an actor system of its own, as in its own process.
  networked_config node_cfg{true};
  caf::actor_system node_sys{node_cfg};
  config::log_settings quiet;
  quiet.level = config::log_level::off;
  auto node = node_sys.spawn(
    actors::node_actor, std::string{"worker_a"}, std::string{},
    std::make_shared<actors::event_log>(quiet, "worker_a"));
  auto port = node_sys.middleman().publish(node, 0, "127.0.0.1", true);
  BOOST_TEST_REQUIRE(static_cast<bool>(port), failure_text(port));
  networked_config cfg{true};
  caf::actor_system sys{cfg};
  auto handle = watching_job(*port, dir.file("job.log")).start(sys);
  BOOST_TEST_REQUIRE(static_cast<bool>(handle), failure_text(handle));
  stop_on_exit stops_handle{*handle};
  auto& figures = *handle->metrics().nodes().at(0);
  BOOST_TEST_REQUIRE(eventually([&] { return figures.up.load(); }));
  BOOST_TEST(figures.joins.load() == 1u);
  BOOST_TEST(figures.address == "127.0.0.1:" + std::to_string(*port));
  // The node's actor dies: the job sees it go and counts the loss.
  caf::anon_send_exit(node, caf::exit_reason::kill);
  BOOST_TEST_REQUIRE(eventually([&] { return figures.losses.load() == 1; }));
  BOOST_TEST(!figures.up.load());
  handle->stop();
  BOOST_TEST_REQUIRE(static_cast<bool>(handle->wait()));
  auto log = read_file(dir.file("job.log"));
  BOOST_TEST(log.find("INFO [embedded] node 'worker_a' (127.0.0.1:"
                      + std::to_string(*port) + ") joined")
               != std::string::npos,
             log);
  BOOST_TEST(log.find("WARNING [embedded] node 'worker_a' (127.0.0.1:"
                      + std::to_string(*port) + ") lost: ")
               != std::string::npos,
             log);
  BOOST_TEST(log.find("no heartbeats") == std::string::npos, log);
}

BOOST_AUTO_TEST_CASE(an_embedded_job_without_heartbeats_is_warned) {
  temp_dir dir;
  networked_config cfg{false};
  caf::actor_system sys{cfg};
  // Nobody listens there; the warning comes first anyway.
  auto handle = watching_job(1, dir.file("job.log")).start(sys);
  BOOST_TEST_REQUIRE(static_cast<bool>(handle), failure_text(handle));
  stop_on_exit stops_handle{*handle};
  BOOST_TEST(eventually([&] {
    return read_file(dir.file("job.log")).find("is unreachable")
           != std::string::npos;
  }));
  handle->stop();
  BOOST_TEST_REQUIRE(static_cast<bool>(handle->wait()));
  auto log = read_file(dir.file("job.log"));
  BOOST_TEST(log.find("WARNING [embedded] the actor system sends no "
                      "heartbeats: a hung node will not be noticed")
               != std::string::npos,
             log);
}

BOOST_AUTO_TEST_SUITE_END()
