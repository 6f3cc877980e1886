#include "observability/http_get.hpp"
#include "tests/cli/cli_fixture.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/free_port.hpp"
#include "tests/support/raw_connection.hpp"

#include <boost/test/unit_test.hpp>

#include <csignal>
#include <optional>
#include <vector>

using namespace sluice;
using namespace sluice::testing;

BOOST_FIXTURE_TEST_SUITE(run_options_tests, cli_fixture)

BOOST_AUTO_TEST_CASE(fresh_discards_the_checkpoints_and_starts_over) {
  write("input.txt", "a b\nb c\n");
  auto job
    = write("job.ini", "[checkpoints]\nstore = job.db\n"
                       "[stage.lines]\ntype = file-source\npath = input.txt\n"
                       "[stage.words]\ntype = split-words\ninput = lines\n"
                       "[stage.out]\ntype = file-sink\ninput = words\n"
                       "path = words.txt\n");
  auto first = run_sluice({"run", job});
  BOOST_TEST_REQUIRE(first.code == 0, first.err);
  auto resumed = run_sluice({"run", job});
  BOOST_TEST(contains(resumed.err, "(resumed from checkpoint "), resumed.err);
  BOOST_TEST(contains(resumed.err, "2 records in"), resumed.err);
  auto fresh = run_sluice({"run", job, "--fresh"});
  BOOST_TEST_REQUIRE(fresh.code == 0, fresh.err);
  BOOST_TEST(!contains(fresh.err, "resumed"), fresh.err);
  BOOST_TEST(read("words.txt") == "a\nb\nb\nc\n");
}

BOOST_AUTO_TEST_CASE(slow_metrics_clients_do_not_hold_up_the_end_of_a_run) {
  auto job = write("job.ini", "[job]\nname = short\n"
                              "[stage.numbers]\ntype = generator\nrate = 1000\n"
                              "count = 3000\n"
                              "[stage.out]\ntype = file-sink\ninput = numbers\n"
                              "path = numbers.tsv\n");
  auto port = free_port();
  auto url = "http://127.0.0.1:" + std::to_string(port) + "/";
  // The endpoint would let them take a minute each.
  sluice_process p{{"run", job, "--metrics.port=" + std::to_string(port),
                    "--metrics.request-timeout=60s"}};
  BOOST_TEST_REQUIRE(p.wait_for_error_line([&](const std::string& line) {
    return line == "sluice: metrics at " + url;
  }));
  // Clients that send a request a byte at a time, never finishing it.
  std::vector<int> slow;
  for (int i = 0; i < 4; ++i) {
    auto fd = connect_to(port);
    BOOST_TEST_REQUIRE(fd >= 0);
    slow.push_back(fd);
  }
  // The job ends after its 3000 records; the process with it, while the
  // slow clients are still sending.
  std::optional<int> code;
  BOOST_TEST_REQUIRE(eventually(
    [&] {
      for (auto fd : slow)
        BOOST_TEST_REQUIRE(::send(fd, "G", 1, MSG_NOSIGNAL) == 1);
      code = p.wait_for(std::chrono::milliseconds{100});
      return code.has_value();
    },
    std::chrono::seconds{60}));
  BOOST_TEST(*code == 0, p.err());
  BOOST_TEST(contains(p.err(), "3000 records in"), p.err());
  // Their connections were open until the process ended with them.
  for (auto fd : slow) {
    BOOST_TEST(closed_by_peer(fd));
    ::close(fd);
  }
}

BOOST_AUTO_TEST_CASE(a_metrics_port_that_is_taken_fails_the_start) {
  // Another process listens on the port.
  auto fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  BOOST_TEST_REQUIRE(
    ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0);
  BOOST_TEST_REQUIRE(::listen(fd, 1) == 0);
  socklen_t len = sizeof(addr);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  auto port = std::to_string(ntohs(addr.sin_port));
  auto job = write("job.ini", "[stage.numbers]\ntype = generator\ncount = 10\n"
                              "[stage.out]\ntype = file-sink\ninput = numbers\n"
                              "path = numbers.tsv\n"
                              "[metrics]\nport = "
                                + port + "\n");
  auto r = run_sluice({"run", job});
  ::close(fd);
  BOOST_TEST(r.code == 1);
  BOOST_TEST(contains(r.err, "sluice run: metrics endpoint: cannot listen on "
                             "127.0.0.1:"
                               + port + ": Address already in use"),
             r.err);
  BOOST_TEST(!contains(r.err, "started"), r.err);
  BOOST_TEST(!exists("numbers.tsv"));
}

BOOST_AUTO_TEST_CASE(a_metrics_port_serves_the_running_job) {
  auto job = write("job.ini", "[job]\nname = endless\n"
                              "[stage.numbers]\ntype = generator\nrate = 1000\n"
                              "[stage.out]\ntype = file-sink\ninput = numbers\n"
                              "path = numbers.tsv\n");
  auto port = free_port();
  auto url = "http://127.0.0.1:" + std::to_string(port) + "/";
  sluice_process p{{"run", job, "--metrics.port=" + std::to_string(port)}};
  BOOST_TEST_REQUIRE(p.wait_for_error_line([&](const std::string& line) {
    return line == "sluice: metrics at " + url;
  }),
                     p.err());
  auto page = observability::http_get(
    *observability::parse_http_url(url + "metrics"), std::chrono::seconds{30});
  BOOST_TEST_REQUIRE(static_cast<bool>(page));
  BOOST_TEST(contains(*page, "sluice_job_uptime_seconds{job=\"endless\"}"));
  // `sluice status URL` prints the same figures as text.
  auto status = run_sluice({"status", url});
  BOOST_TEST(status.code == 0, status.err);
  BOOST_TEST(contains(status.out, "endless"), status.out);
  BOOST_TEST(contains(status.out, "numbers"), status.out);
  p.signal(SIGINT);
  BOOST_TEST(p.wait() == 0, p.err());
}

BOOST_AUTO_TEST_SUITE_END()
