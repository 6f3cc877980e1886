#include "observability/http_request_head.hpp"

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

using namespace sluice::observability;
using state = http_request_head::state;

namespace {

struct step {
  const char* bytes;
  state expected;
};

void run(http_request_head& head, const std::vector<step>& script) {
  int n = 0;
  for (auto& x : script)
    BOOST_TEST_CONTEXT("step " << n++ << ": '" << x.bytes << "'") {
      BOOST_TEST((head.on_bytes(x.bytes) == x.expected));
    }
}

} // namespace

BOOST_AUTO_TEST_SUITE(http_request_head_tests)

BOOST_AUTO_TEST_CASE(a_head_arriving_a_byte_at_a_time_completes_at_its_end) {
  http_request_head head{64};
  run(head, {{"GET /met", state::reading},
             {"rics?x=1 HTTP/1.1\r", state::reading},
             {"\nHost: a\r\n", state::reading},
             {"\r", state::reading},
             {"\n", state::complete},
             {"more", state::complete}});
  BOOST_TEST(head.method() == "GET");
  BOOST_TEST(head.target() == "/metrics");
}

BOOST_AUTO_TEST_CASE(a_head_without_an_end_is_too_large_at_the_limit) {
  http_request_head head{16};
  run(head, {{"GET / HTTP/1.1\r\n", state::reading},
             {"X", state::too_large},
             {"\r\n\r\n", state::too_large}});
}

BOOST_AUTO_TEST_CASE(a_request_line_that_is_not_http_is_bad) {
  http_request_head bare{64};
  run(bare, {{"hello\n\n", state::bad_request}});
  http_request_head no_path{64};
  run(no_path, {{"GET x HTTP/1.1\r\n\r\n", state::bad_request}});
  http_request_head no_version{64};
  run(no_version, {{"GET / FTP\r\n\r\n", state::bad_request}});
}

BOOST_AUTO_TEST_SUITE_END()
