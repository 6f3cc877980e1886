#include "config/cluster_settings.hpp"

#include "config/engine_options.hpp"
#include "config/node_spec.hpp"
#include "tests/config/job_file_fixture.hpp"
#include "tests/support/caf_printing.hpp"
#include "tests/support/failure_text.hpp"

#include <boost/test/unit_test.hpp>

using namespace sluice;
using namespace sluice::config;
using sluice::testing::failure_text;
using sluice::testing::job_file_fixture;

namespace {

constexpr const char* one_stage = "[stage.numbers]\n"  // 1
                                  "type = generator\n" // 2
                                  "[stage.out]\n"      // 3
                                  "type = stdout\n"    // 4
                                  "input = numbers\n"; // 5

struct fixture : job_file_fixture {
  /// Writes `text` to node.ini and reads it.
  caf::expected<node_spec> node(const std::string& text,
                                const std::vector<std::string>& overrides
                                = {}) {
    return read_node_file(write("node.ini", text), overrides);
  }

  std::string node_error(const std::string& text,
                         const std::vector<std::string>& overrides = {}) {
    auto spec = node(text, overrides);
    return spec ? std::string{} : protocol::describe(spec.error());
  }

  std::string node_file() const { return dir.file("node.ini"); }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(cluster_settings_tests, fixture)

BOOST_AUTO_TEST_CASE(host_and_port_parse_with_names_and_ipv6) {
  using hp = std::pair<std::string, uint16_t>;
  BOOST_TEST((parse_host_port("127.0.0.1:7001") == hp{"127.0.0.1", 7001}));
  BOOST_TEST((parse_host_port("worker-3.local:1") == hp{"worker-3.local", 1}));
  BOOST_TEST((parse_host_port("[::1]:65535") == hp{"::1", 65535}));
  for (auto bad : {"127.0.0.1", "127.0.0.1:", ":7001", "host:0", "host:65536",
                   "host:70x", "::1:7001", "a b:7001", "[]:7001"})
    BOOST_TEST(!parse_host_port(bad), bad);
}

BOOST_AUTO_TEST_CASE(a_job_file_lists_its_nodes_and_cluster_settings) {
  auto spec = read(std::string{one_stage}
                   + "[nodes]\nworker_a = 127.0.0.1:7001\n"
                     "worker_b = [::1]:7002\n"
                     "[cluster]\nsecret = s3cret\nheartbeat-interval = 200ms\n"
                     "connection-timeout = 2s\nreconnect-interval = 500ms\n");
  BOOST_TEST_REQUIRE(static_cast<bool>(spec), failure_text(spec));
  auto& c = spec->settings.cluster;
  BOOST_TEST_REQUIRE(c.nodes.size() == 2u);
  BOOST_TEST(c.nodes[0].name == "worker_a");
  BOOST_TEST(to_string(c.nodes[0]) == "127.0.0.1:7001");
  BOOST_TEST(to_string(c.nodes[1]) == "[::1]:7002");
  BOOST_TEST(c.nodes[1].where.line == 8u);
  BOOST_TEST(c.secret == "s3cret");
  BOOST_TEST((c.heartbeat_interval == std::chrono::milliseconds{200}));
  BOOST_TEST((c.connection_timeout == std::chrono::seconds{2}));
  BOOST_TEST((c.reconnect_interval == std::chrono::milliseconds{500}));
}

BOOST_AUTO_TEST_CASE(help_and_validate_never_show_the_secret) {
  engine_settings s;
  s.cluster.secret = "s3cret";
  auto help = describe_engine_options(s);
  BOOST_TEST(help.find("s3cret") == std::string::npos);
  BOOST_TEST(help.find("(set)") != std::string::npos);
}

// -- bad input: every error names file, line and key --------------------------

BOOST_AUTO_TEST_CASE(a_node_address_without_a_port_is_rejected) {
  BOOST_TEST(
    error_of(std::string{one_stage} + "[nodes]\nworker_a = localhost\n")
    == job()
         + ":7: key 'worker_a' in [nodes]: expected HOST:PORT with a "
           "port from 1 to 65535, such as 127.0.0.1:7001, got "
           "'localhost'");
}

BOOST_AUTO_TEST_CASE(two_nodes_at_one_address_are_rejected) {
  BOOST_TEST(error_of(std::string{one_stage}
                      + "[nodes]\na = 127.0.0.1:7001\nb = 127.0.0.1:7001\n")
             == job() + ":8: key 'b' in [nodes]: node 'a' (" + job()
                  + ":7) has the same address");
}

BOOST_AUTO_TEST_CASE(a_node_name_must_be_an_identifier) {
  BOOST_TEST(
    error_of(std::string{one_stage} + "[nodes]\nworker-a = 127.0.0.1:7001\n")
    == job()
         + ":7: key 'worker-a' in [nodes]: a node's name has "
           "letters, digits and '_' only");
}

BOOST_AUTO_TEST_CASE(a_connection_timeout_must_exceed_the_heartbeat) {
  BOOST_TEST(error_of(std::string{one_stage}
                      + "[cluster]\nheartbeat-interval = 2s\n"
                        "connection-timeout = 1s\n")
             == job()
                  + ":8: key 'connection-timeout' in [cluster]: "
                    "connection-timeout (1s) must be above heartbeat-interval "
                    "(2s) (heartbeat-interval: set at "
                  + job() + ":7)");
}

// -- node files ---------------------------------------------------------------

BOOST_AUTO_TEST_CASE(a_node_file_is_read_with_defaults) {
  auto spec = node("[node]\nport = 7001\n[cluster]\nsecret = x\n"
                   "[log]\nlevel = info\n");
  BOOST_TEST_REQUIRE(static_cast<bool>(spec), failure_text(spec));
  BOOST_TEST(spec->name == "node"); // the file's name
  BOOST_TEST(spec->bind == "127.0.0.1");
  BOOST_TEST(spec->port == 7001u);
  BOOST_TEST(spec->settings.cluster.secret == "x");
  BOOST_TEST(spec->settings.log.level == log_level::info);
  auto named = node("[node]\nname = worker_a\nbind = 0.0.0.0\nport = 0\n",
                    {"--log.level=debug"});
  BOOST_TEST_REQUIRE(static_cast<bool>(named), failure_text(named));
  BOOST_TEST(named->name == "worker_a");
  BOOST_TEST(named->bind == "0.0.0.0");
  BOOST_TEST(named->port == 0u);
  BOOST_TEST(named->settings.log.level == log_level::debug);
}

BOOST_AUTO_TEST_CASE(a_node_file_without_a_port_is_rejected) {
  BOOST_TEST(node_error("[node]\nname = a\n")
             == node_file()
                  + ":1: section [node] needs key 'port': the port the node "
                    "listens on (0: any)");
  BOOST_TEST(node_error("[cluster]\nsecret = x\n")
             == node_file()
                  + ": a node file needs a [node] section with at least its "
                    "port");
}

BOOST_AUTO_TEST_CASE(a_node_file_rejects_what_belongs_to_jobs) {
  BOOST_TEST(node_error("[node]\nport = 1\n[stage.x]\ntype = stdout\n")
             == node_file()
                  + ":3: section [stage.x]: unknown section; a node file has "
                    "[node], [cluster], [log] and [scheduler]");
  BOOST_TEST(node_error("[node]\nport = 1\nthreads = 2\n")
             == node_file()
                  + ":3: key 'threads' in [node]: unknown key; [node] knows "
                    "name, bind, port, hello-timeout, "
                    "max-pending-connections");
  BOOST_TEST(node_error("[node]\nport = 1\nhello-timeout = 0s\n")
             == node_file()
                  + ":3: key 'hello-timeout' in [node]: expected a duration "
                    "above 0 such as 5s, got '0s'");
  BOOST_TEST(node_error("[node]\nport = 1\nmax-pending-connections = 0\n")
             == node_file()
                  + ":3: key 'max-pending-connections' in [node]: expected an "
                    "integer from 1 to 65535, got '0'");
  BOOST_TEST(node_error("[node]\nport = 70000\n")
             == node_file()
                  + ":2: key 'port' in [node]: expected an integer from 0 to "
                    "65535, got '70000'");
  BOOST_TEST(node_error("[node]\nport = 1\n", {"--engine.parallelism=2"})
             == "command line: option '--engine.parallelism=2': a node takes "
                "settings of [cluster], [log] and [scheduler] only");
  BOOST_TEST(node_error("[node]\nport = 1\n[log]\nfile = nowhere/node.log\n")
             == node_file() + ": [log] file: folder '" + dir.file("nowhere")
                  + "' of the log file '" + dir.file("nowhere/node.log")
                  + "' does not exist");
}

BOOST_AUTO_TEST_SUITE_END()
