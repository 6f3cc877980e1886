#include "observability/http_get.hpp"
#include "protocol/node_messages.hpp"
#include "tests/cli/cli_fixture.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/free_port.hpp"
#include "tests/support/networked_actor_system.hpp"
#include "tests/support/raw_connection.hpp"
#include "tests/support/text.hpp"

#include <caf/actor_system.hpp>
#include <caf/all.hpp>
#include <caf/send.hpp>

#include <boost/test/unit_test.hpp>

#include <csignal>
#include <optional>
#include <random>

#include <dirent.h>

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
                        uint16_t port, const std::string& secret = "s3cret",
                        const std::string& node_extra = "") {
    return write(file, "[node]\nname = " + name
                         + "\nport = " + std::to_string(port) + "\n"
                         + node_extra + cluster_section(secret)
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

/// Whether the node closes raw connection `fd` within `patience`.
bool closes(int fd) {
  return eventually([&] { return closed_by_peer(fd); }, patience);
}

/// The sockets process `pid` has open.
size_t open_sockets(pid_t pid) {
  auto dir_name = "/proc/" + std::to_string(pid) + "/fd";
  size_t result = 0;
  auto* dir = ::opendir(dir_name.c_str());
  if (dir == nullptr)
    return 0;
  while (auto* entry = ::readdir(dir)) {
    char target[64] = {};
    auto path = dir_name + "/" + entry->d_name;
    if (::readlink(path.c_str(), target, sizeof(target) - 1) > 0
        && std::string{target}.rfind("socket:", 0) == 0)
      ++result;
  }
  ::closedir(dir);
  return result;
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
    // The node logs one message a second at most. The first one logged
    // past that second says how many it left out meanwhile: one more at a
    // time until that happened.
    const std::string more = "more like it left out of the log)";
    BOOST_TEST_REQUIRE(eventually(
                         [&] {
                           caf::anon_send(*peer, std::string{"junk"}, sent++);
                           return exists("worker_a.log")
                                  && contains(read("worker_a.log"), more);
                         },
                         patience),
                       read("worker_a.log"));
  }
  auto log = read("worker_a.log");
  // Every message up to the last one logged is accounted for: logged one
  // by one, or counted. (Those after it are within the current second.)
  auto logged = count_of(log, "dropped an unexpected message");
  uint64_t counted = 0;
  const std::string and_more = "(and ";
  for (auto at = log.find(and_more); at != std::string::npos;
       at = log.find(and_more, at + 1))
    counted += std::stoull(log.substr(at + and_more.size()));
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

BOOST_AUTO_TEST_CASE(system_messages_from_a_peer_leave_a_node_serving) {
  sluice_process node{{"node", node_file("a.ini", "worker_a", 0)}};
  auto port = listening_port(node);
  {
    // A CAF peer without the secret sends every kind of system message
    // CAF 0.17 has to the one actor it can reach: the published one.
    networked_config cfg;
    caf::actor_system sys{cfg};
    auto peer = sys.middleman().remote_actor("127.0.0.1", port);
    BOOST_TEST_REQUIRE(static_cast<bool>(peer));
    caf::scoped_actor self{sys};
    auto me = self->address();
    using caf::exit_reason;
    for (auto reason : {exit_reason::kill, exit_reason::user_shutdown,
                        exit_reason::unhandled_exception})
      caf::anon_send(*peer, caf::exit_msg{me, reason});
    self->send_exit(*peer, exit_reason::kill);
    caf::anon_send(*peer, caf::down_msg{me, exit_reason::kill});
    caf::anon_send(*peer, caf::make_error(caf::sec::runtime_error));
    self->link_to(*peer);
    self->unlink_from(*peer);
    self->monitor(*peer);
    self->demonitor(*peer);
    // CAF answers this one itself unless the node stops it first.
    self
      ->request(*peer, std::chrono::seconds{1}, caf::sys_atom::value,
                caf::get_atom::value, std::string{"info"})
      .receive([&](caf::message& m) { BOOST_FAIL(caf::to_string(m)); },
               [](caf::error&) {});
    // Linked, a peer that goes takes the node along unless it ignores
    // the exit.
    self->link_to(*peer);
    BOOST_TEST_REQUIRE(log_shows("worker_a.log", "exit_msg("),
                       read("worker_a.log"));
  }
  // The node still serves jobs; it logged what it dropped, throttled.
  sluice_process job{{"run", job_file({{"worker_a", port}})}};
  BOOST_TEST(log_shows("job.log", joined("worker_a", port)), read("job.log"));
  BOOST_TEST(log_shows("worker_a.log", "INFO [worker_a] job 'watched' joined"),
             read("worker_a.log"));
  job.signal(SIGTERM);
  BOOST_TEST(job.wait() == 0, job.err());
  BOOST_TEST(log_shows("worker_a.log", "INFO [worker_a] job 'watched' left"),
             read("worker_a.log"));
  node.signal(SIGTERM);
  BOOST_TEST(node.wait() == 0, node.err());
}

BOOST_AUTO_TEST_CASE(peer_text_cannot_forge_lines_and_refusals_are_throttled) {
  sluice_process node{{"node", node_file("a.ini", "worker_a", 0)}};
  auto port = listening_port(node);
  const std::string forged
    = "x\n2026-01-01T00:00:00.000Z INFO [worker_a] job 'forged' joined";
  networked_config cfg;
  caf::actor_system sys{cfg};
  auto peer = sys.middleman().remote_actor("127.0.0.1", port);
  BOOST_TEST_REQUIRE(static_cast<bool>(peer));
  caf::scoped_actor self{sys};
  auto hello = [&](const std::string& job, const std::string& secret) {
    bool welcomed = false;
    self
      ->request(*peer, std::chrono::seconds{5},
                protocol::node_hello{job, secret})
      .receive([&](protocol::node_welcome&) { welcomed = true; },
               [](caf::error&) {});
    return welcomed;
  };
  // Refused many times within a second: one line, then one line a second
  // that counts the refusals left out.
  constexpr int flood = 200;
  int sent = 0;
  for (; sent < flood; ++sent)
    BOOST_TEST_REQUIRE(!hello(forged + std::to_string(sent), "wrong"));
  BOOST_TEST_REQUIRE(
    eventually(
      [&] {
        BOOST_TEST_REQUIRE(!hello(forged + std::to_string(sent++), "wrong"));
        return contains(read("worker_a.log"), "more like it left out");
      },
      patience),
    read("worker_a.log"));
  // Welcomed under a name with a line break.
  BOOST_TEST_REQUIRE(hello(forged, "s3cret"));
  BOOST_TEST_REQUIRE(log_shows("worker_a.log", "' joined"),
                     read("worker_a.log"));
  auto log = read("worker_a.log");
  // Every line the node wrote is its own: none starts with the forgery.
  BOOST_TEST(!contains(log, "\n2026-01-01T00:00:00.000Z"), log);
  BOOST_TEST(contains(log, "INFO [worker_a] job 'x\\n2026-01-01T00:00:00.000Z "
                           "INFO [worker_a] job 'forged' joined' joined"),
             log);
  auto refused = count_of(log, "WARNING [worker_a] refused job 'x\\n");
  uint64_t counted = 0;
  const std::string and_more = "(and ";
  for (auto at = log.find(and_more); at != std::string::npos;
       at = log.find(and_more, at + 1))
    counted += std::stoull(log.substr(at + and_more.size()));
  BOOST_TEST(refused < 10u, log);
  // All refusals up to the last one logged are logged or counted.
  auto last_at = log.rfind("refused job 'x");
  auto last = std::stoull(
    log.substr(log.find("joined", last_at) + std::string{"joined"}.size()));
  BOOST_TEST(refused + counted == last + 1, log);
}

BOOST_AUTO_TEST_CASE(idle_connections_are_closed_and_bounded_and_jobs_join) {
  // Eight connections may wait for a hello, one second each.
  sluice_process node{{"node", node_file("a.ini", "worker_a", 0, "s3cret",
                                         "hello-timeout = 1s\n"
                                         "max-pending-connections = 8\n")}};
  auto port = listening_port(node);
  // Many raw connections that never say anything.
  std::vector<int> idle;
  for (int i = 0; i < 200; ++i) {
    auto fd = connect_to(port);
    BOOST_TEST_REQUIRE(fd >= 0);
    idle.push_back(fd);
  }
  // The node keeps no more than the limit of them (and a few of its own).
  BOOST_TEST(
    eventually([&] { return open_sockets(node.pid()) <= 8u + 8u; }, patience),
    open_sockets(node.pid()));
  // A job joins while the newest idle ones still wait.
  sluice_process job{{"run", job_file({{"worker_a", port}})}};
  BOOST_TEST_REQUIRE(log_shows("job.log", joined("worker_a", port)),
                     read("job.log"));
  // Every idle connection is closed: the oldest to make room, the rest
  // when their second is over.
  for (auto fd : idle) {
    BOOST_TEST_REQUIRE(closes(fd), "connection " << fd << " open");
    ::close(fd);
  }
  // One more, opened after the job joined, closes too: the job, whose
  // connection is older, still counts as joined.
  auto late = connect_to(port);
  BOOST_TEST_REQUIRE(late >= 0);
  BOOST_TEST(closes(late));
  ::close(late);
  BOOST_TEST(!contains(read("job.log"), " lost: "), read("job.log"));
  BOOST_TEST(!contains(read("worker_a.log"), " lost: "), read("worker_a.log"));
  BOOST_TEST(contains(read("worker_a.log"), "([node] hello-timeout)"),
             read("worker_a.log"));
  job.signal(SIGTERM);
  BOOST_TEST(job.wait() == 0, job.err());
  node.signal(SIGTERM);
  BOOST_TEST(node.wait() == 0, node.err());
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
