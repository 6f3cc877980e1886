#include "sluice.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/networked_actor_system.hpp"
#include "tests/support/stop_on_exit.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_node.hpp"
#include "tests/support/text.hpp"

#include <caf/send.hpp>

#include <boost/test/unit_test.hpp>

using namespace sluice;
using namespace sluice::testing;

namespace {

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
  test_node node{"worker_a"};
  BOOST_TEST_REQUIRE(node.port != 0);
  auto port = node.port;
  networked_config cfg;
  caf::actor_system sys{cfg};
  auto handle = watching_job(port, dir.file("job.log")).start(sys);
  BOOST_TEST_REQUIRE(static_cast<bool>(handle), failure_text(handle));
  stop_on_exit stops_handle{*handle};
  auto& figures = *handle->metrics().nodes().at(0);
  BOOST_TEST_REQUIRE(eventually([&] { return figures.up.load(); }));
  BOOST_TEST(figures.joins.load() == 1u);
  BOOST_TEST(figures.address == "127.0.0.1:" + std::to_string(port));
  // The node stops: the job sees it go and counts the loss.
  actors::stop_node(node.node);
  BOOST_TEST_REQUIRE(eventually([&] { return figures.losses.load() == 1; }));
  BOOST_TEST(!figures.up.load());
  handle->stop();
  BOOST_TEST_REQUIRE(static_cast<bool>(handle->wait()));
  auto log = read_file(dir.file("job.log"));
  BOOST_TEST(log.find("INFO [embedded] node 'worker_a' (127.0.0.1:"
                      + std::to_string(port) + ") joined")
               != std::string::npos,
             log);
  BOOST_TEST(log.find("WARNING [embedded] node 'worker_a' (127.0.0.1:"
                      + std::to_string(port) + ") lost: ")
               != std::string::npos,
             log);
  BOOST_TEST(log.find("no heartbeats") == std::string::npos, log);
}

BOOST_AUTO_TEST_CASE(an_embedded_job_without_heartbeats_is_warned) {
  temp_dir dir;
  networked_config cfg{heartbeats::off};
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
