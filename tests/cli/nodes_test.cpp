#include "observability/http_get.hpp"
#include "tests/cli/cli_fixture.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/free_port.hpp"
#include "tests/support/networked_actor_system.hpp"
#include "tests/support/text.hpp"

#include <caf/actor_system.hpp>
#include <caf/send.hpp>

#include <boost/test/unit_test.hpp>

#include <cctype>
#include <csignal>
#include <optional>
#include <random>

#include <arpa/inet.h>

using namespace sluice;
using namespace sluice::testing;

namespace {

constexpr std::chrono::seconds patience{30};

/// Heartbeats every 100ms, silence for 1s counts as lost, retries every
/// 100ms: a test sees every event within a few seconds.
std::string cluster_section(const std::string& secret) {
  return "[cluster]\nsecret = " + secret
         + "\nheartbeat-interval = 100ms\nconnection-timeout = 1s\n"
           "reconnect-interval = 100ms\n";
}

struct fixture : cli_fixture {
  /// Writes node file `file` for node `name` on `port` (0: any).
  std::string node_file(const std::string& file, const std::string& name,
                        uint16_t port, const std::string& secret = "s3cret") {
    return write(file, "[node]\nname = " + name + "\nport = "
                         + std::to_string(port) + "\n" + cluster_section(secret)
                         + "[log]\nlevel = info\nfile = " + name + ".log\n");
  }

  /// An endless, slow job that watches `nodes` (name, port) and logs to
  /// job.log at `level`.
  std::string
  job_file(const std::vector<std::pair<std::string, uint16_t>>& nodes,
           const std::string& secret = "s3cret", const std::string& extra = "",
           const std::string& level = "info") {
    std::string text = "[job]\nname = watched\n"
                       "[stage.numbers]\ntype = generator\nrate = 200\n"
                       "[stage.out]\ntype = file-sink\ninput = numbers\n"
                       "path = numbers.tsv\n[nodes]\n";
    for (auto& [name, port] : nodes)
      text += name + " = 127.0.0.1:" + std::to_string(port) + "\n";
    return write("job.ini", text + cluster_section(secret) + "[log]\nlevel = "
                              + level + "\nfile = job.log\n" + extra);
  }

  /// Waits until log `file` holds `part` at least `n` times.
  bool log_shows(const std::string& file, const std::string& part,
                 size_t n = 1) {
    return eventually(
      [&] { return exists(file) && count_of(read(file), part) >= n; },
      patience);
  }
};

/// The port a starting node says it listens on; the test stops if it
/// says none.
uint16_t listening_port(sluice_process& node) {
  const std::string prefix = " listening on 127.0.0.1:";
  uint16_t port = 0;
  node.wait_for_error_line([&](const std::string& line) {
    auto at = line.find(prefix);
    if (at == std::string::npos)
      return false;
    port = static_cast<uint16_t>(std::stoul(line.substr(at + prefix.size())));
    return true;
  });
  BOOST_TEST_REQUIRE(port != 0, node.err());
  return port;
}

std::string joined(const std::string& node, uint16_t port) {
  return "INFO [watched] node '" + node + "' (127.0.0.1:" + std::to_string(port)
         + ") joined";
}

/// The number a node's log gave last for a dropped `("junk", N)` message
/// it logged one by one; none if it logged none.
std::optional<uint64_t> last_junk_logged(const std::string& log) {
  const std::string prefix = "dropped an unexpected message: (\"junk\", ";
  auto at = log.rfind(prefix);
  if (at == std::string::npos)
    return std::nullopt;
  return std::stoull(log.substr(at + prefix.size()));
}

/// A raw TCP connection to 127.0.0.1:`port`; -1 if it failed.
int connect_to(uint16_t port) {
  auto fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(nodes_tests, fixture)

BOOST_AUTO_TEST_CASE(a_killed_node_is_logged_lost_and_joins_again) {
  sluice_process node{{"node", node_file("a.ini", "worker_a", 0)}};
  auto port = listening_port(node);
  auto metrics_port = free_port();
  auto url = "http://127.0.0.1:" + std::to_string(metrics_port) + "/";
  sluice_process job{{"run", job_file({{"worker_a", port}}),
                      "--metrics.port=" + std::to_string(metrics_port)}};
  BOOST_TEST_REQUIRE(log_shows("job.log", joined("worker_a", port)),
                     read("job.log"));
  BOOST_TEST(log_shows("worker_a.log", "INFO [worker_a] job 'watched' joined"));
  auto page = [&] {
    auto body = observability::http_get(
      *observability::parse_http_url(url + "metrics"), std::chrono::seconds{5});
    return body ? *body : std::string{};
  };
  auto up_line = [&](int value) {
    return "sluice_node_up{job=\"watched\",node=\"worker_a\","
           "address=\"127.0.0.1:"
           + std::to_string(port) + "\"} " + std::to_string(value);
  };
  BOOST_TEST(eventually([&] { return contains(page(), up_line(1)); }, patience),
             page());
  node.signal(SIGKILL);
  BOOST_TEST_REQUIRE(node.wait() == 128 + SIGKILL);
  BOOST_TEST_REQUIRE(
    log_shows("job.log", "WARNING [watched] node 'worker_a' (127.0.0.1:"
                           + std::to_string(port) + ") lost: "),
    read("job.log"));
  BOOST_TEST(eventually([&] { return contains(page(), up_line(0)); }, patience),
             page());
  // The same node, restarted on the same port, is joined again; the
  // attempts while it was down add no lines.
  sluice_process again{{"node", node_file("a2.ini", "worker_a", port)}};
  BOOST_TEST_REQUIRE(listening_port(again) == port, again.err());
  BOOST_TEST_REQUIRE(log_shows("job.log", joined("worker_a", port), 2),
                     read("job.log"));
  auto log = read("job.log");
  BOOST_TEST(count_of(log, "is unreachable") == 0u, log);
  BOOST_TEST(count_of(log, " lost: ") == 1u, log);
  // `sluice status` shows the node as the endpoint samples it.
  std::string status;
  auto shown = "nodes:\n  worker_a (127.0.0.1:" + std::to_string(port)
               + "): up, 2 joins, 1 losses";
  BOOST_TEST(eventually(
               [&] {
                 status = run_sluice({"status", url}).out;
                 return contains(status, shown);
               },
               patience),
             status);
  // A job that ends leaves; its node says so.
  job.signal(SIGTERM);
  BOOST_TEST(job.wait() == 0, job.err());
  BOOST_TEST(log_shows("worker_a.log", "INFO [worker_a] job 'watched' left"),
             read("worker_a.log"));
  again.signal(SIGTERM);
  BOOST_TEST(again.wait() == 0, again.err());
  BOOST_TEST(contains(again.err(), "sluice: node 'worker_a' stopping on "
                                   "SIGTERM"));
}

BOOST_AUTO_TEST_CASE(a_hung_node_is_lost_after_the_connection_timeout) {
  sluice_process node{{"node", node_file("a.ini", "worker_a", 0)}};
  auto port = listening_port(node);
  sluice_process job{{"run", job_file({{"worker_a", port}})}};
  BOOST_TEST_REQUIRE(log_shows("job.log", joined("worker_a", port)),
                     read("job.log"));
  // Stopped, the node's process keeps its connection open but answers
  // nothing, heartbeats included.
  node.signal(SIGSTOP);
  auto lost = log_shows("job.log", "node 'worker_a' (127.0.0.1:"
                                     + std::to_string(port) + ") lost: ");
  node.signal(SIGCONT);
  BOOST_TEST_REQUIRE(lost, read("job.log"));
  BOOST_TEST(log_shows("job.log", joined("worker_a", port), 2),
             read("job.log"));
  job.signal(SIGTERM);
  BOOST_TEST(job.wait() == 0, job.err());
}

BOOST_AUTO_TEST_CASE(a_node_down_at_the_start_is_logged_once_then_joined) {
  auto port = free_port();
  // At level debug the job also notes each retry after the warning.
  sluice_process job{
    {"run", job_file({{"worker_a", port}}, "s3cret", "", "debug")}};
  auto node_name = "node 'worker_a' (127.0.0.1:" + std::to_string(port) + ")";
  BOOST_TEST_REQUIRE(log_shows("job.log", "WARNING [watched] " + node_name
                                            + " is unreachable: "),
                     read("job.log"));
  // Several retries fail before the node starts.
  BOOST_TEST_REQUIRE(
    log_shows("job.log",
              "DEBUG [watched] " + node_name + " still unreachable: ", 3),
    read("job.log"));
  sluice_process node{{"node", node_file("a.ini", "worker_a", port)}};
  BOOST_TEST_REQUIRE(listening_port(node) == port, node.err());
  BOOST_TEST_REQUIRE(log_shows("job.log", joined("worker_a", port)),
                     read("job.log"));
  BOOST_TEST(count_of(read("job.log"), "is unreachable") == 1u,
             read("job.log"));
  job.signal(SIGTERM);
  BOOST_TEST(job.wait() == 0, job.err());
}

BOOST_AUTO_TEST_CASE(a_wrong_secret_is_refused_on_both_sides) {
  sluice_process node{{"node", node_file("a.ini", "worker_a", 0)}};
  auto port = listening_port(node);
  sluice_process job{{"run", job_file({{"worker_a", port}}, "not-it")}};
  BOOST_TEST(
    log_shows("job.log", "ERROR [watched] node 'worker_a' (127.0.0.1:"
                           + std::to_string(port)
                           + ") refused the job: the [cluster] secret does not "
                             "match; the job will not try it again"),
    read("job.log"));
  BOOST_TEST(log_shows("worker_a.log",
                       "WARNING [worker_a] refused job 'watched': the "
                       "[cluster] secret does not match"),
             read("worker_a.log"));
  // The job runs on; the node never saw it join.
  job.signal(SIGTERM);
  BOOST_TEST(job.wait() == 0, job.err());
  BOOST_TEST(!contains(read("worker_a.log"), "joined"), read("worker_a.log"));
  BOOST_TEST(!contains(read("job.log"), "joined"), read("job.log"));
}

BOOST_AUTO_TEST_CASE(a_node_at_another_address_than_the_file_says_is_refused) {
  sluice_process node{{"node", node_file("b.ini", "worker_b", 0)}};
  auto port = listening_port(node);
  sluice_process job{{"run", job_file({{"worker_a", port}})}};
  BOOST_TEST(log_shows("job.log",
                       "ERROR [watched] node 'worker_a' (127.0.0.1:"
                         + std::to_string(port)
                         + ") is not that node: the node there is 'worker_b' ("
                         + dir.file("job.ini") + ":11)"),
             read("job.log"));
  job.signal(SIGTERM);
  BOOST_TEST(job.wait() == 0, job.err());
}

BOOST_AUTO_TEST_CASE(garbage_and_cut_off_messages_leave_a_node_serving) {
  sluice_process node{{"node", node_file("a.ini", "worker_a", 0)}};
  auto port = listening_port(node);
  // A peer that disconnects in the middle of a handshake header.
  auto half = connect_to(port);
  BOOST_TEST_REQUIRE(half >= 0);
  const unsigned char header_start[] = {0x00, 0x00, 0x00, 0x2a, 0x01};
  BOOST_TEST(::write(half, header_start, sizeof(header_start)) > 0);
  ::close(half);
  // One that sends noise, and one that connects and says nothing.
  auto noisy = connect_to(port);
  BOOST_TEST_REQUIRE(noisy >= 0);
  std::mt19937 rng{42};
  std::vector<unsigned char> noise(64 * 1024);
  for (auto& b : noise)
    b = static_cast<unsigned char>(rng());
  (void)::write(noisy, noise.data(), noise.size());
  ::close(noisy);
  auto silent = connect_to(port);
  BOOST_TEST_REQUIRE(silent >= 0);
  // A real job still joins.
  sluice_process job{{"run", job_file({{"worker_a", port}})}};
  BOOST_TEST(log_shows("job.log", joined("worker_a", port)), read("job.log"));
  ::close(silent);
  job.signal(SIGTERM);
  BOOST_TEST(job.wait() == 0, job.err());
  node.signal(SIGTERM);
  BOOST_TEST(node.wait() == 0, node.err());
}

BOOST_AUTO_TEST_CASE(a_flood_of_unexpected_messages_barely_reaches_the_log) {
  sluice_process node{{"node", node_file("a.ini", "worker_a", 0)}};
  auto port = listening_port(node);
  constexpr int flood = 500;
  {
    // A CAF peer that knows the port, not the protocol.
    // With heartbeats: the node drops a connection silent for longer than
    // its connection timeout (1s), and later sends would vanish.
    networked_config cfg;
    caf::actor_system sys{cfg};
    auto peer = sys.middleman().remote_actor("127.0.0.1", port);
    BOOST_TEST_REQUIRE(static_cast<bool>(peer));
    int sent = 0;
    for (; sent < flood; ++sent)
      caf::anon_send(*peer, std::string{"junk"}, sent);
    // The node logs one message a second at most. The first message past
    // that second reports how many it dropped meanwhile, then is logged
    // itself: one more at a time until that happened.
    const std::string more = "more unexpected messages";
    BOOST_TEST_REQUIRE(
      eventually(
        [&] {
          caf::anon_send(*peer, std::string{"junk"}, sent++);
          auto text
            = exists("worker_a.log") ? read("worker_a.log") : std::string{};
          auto at = text.find(more);
          return at != std::string::npos
                 && text.find("dropped an unexpected message", at)
                      != std::string::npos;
        },
        patience),
      read("worker_a.log"));
  }
  auto log = read("worker_a.log");
  // Every message up to the last one logged is accounted for: logged one
  // by one, or counted. (Those after it are within the current second.)
  auto logged = count_of(log, "dropped an unexpected message");
  uint64_t counted = 0;
  const std::string dropped = "dropped ";
  for (auto at = log.find(dropped); at != std::string::npos;
       at = log.find(dropped, at + 1))
    if (std::isdigit(static_cast<unsigned char>(log[at + dropped.size()])))
      counted += std::stoull(log.substr(at + dropped.size()));
  auto last = last_junk_logged(log);
  BOOST_TEST_REQUIRE(last.has_value(), log);
  BOOST_TEST(*last >= uint64_t{flood}, log);
  BOOST_TEST(logged + counted == *last + 1, log);
  BOOST_TEST(logged <= 5u, log);
  // And the node still serves jobs.
  sluice_process job{{"run", job_file({{"worker_a", port}})}};
  BOOST_TEST(log_shows("job.log", joined("worker_a", port)), read("job.log"));
  job.signal(SIGTERM);
  BOOST_TEST(job.wait() == 0, job.err());
}

// -- bad input ----------------------------------------------------------------

BOOST_AUTO_TEST_CASE(a_busy_port_fails_the_node_with_the_address) {
  sluice_process first{{"node", node_file("a.ini", "worker_a", 0)}};
  auto port = listening_port(first);
  auto second = run_sluice({"node", node_file("b.ini", "worker_b", port)});
  BOOST_TEST(second.code == 1, second.err);
  BOOST_TEST(contains(second.err, "sluice node: node 'worker_b' cannot listen "
                                  "on 127.0.0.1:"
                                    + std::to_string(port) + ": "),
             second.err);
}

BOOST_AUTO_TEST_CASE(a_bad_node_file_is_rejected_before_listening) {
  auto file = write("bad.ini", "[node]\nport = 1\n[checkpoints]\nstore = x\n");
  auto result = run_sluice({"node", file});
  BOOST_TEST(result.code == 2);
  BOOST_TEST(result.err
               == "sluice node: " + file
                    + ":3: section [checkpoints]: unknown section; a node file "
                      "has [node], [cluster], [log] and [scheduler]\n",
             result.err);
}

BOOST_AUTO_TEST_SUITE_END()
