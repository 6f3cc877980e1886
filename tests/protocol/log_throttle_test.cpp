#include "protocol/log_throttle.hpp"

#include <boost/test/unit_test.hpp>

#include <vector>

using namespace sluice::protocol;
using namespace std::chrono_literals;

namespace {

struct step {
  const char* what;
  std::chrono::milliseconds at; ///< Since the script's start.
  bool write;
  uint64_t left_out;
};

} // namespace

BOOST_AUTO_TEST_SUITE(log_throttle_tests)

BOOST_AUTO_TEST_CASE(one_line_a_second_reports_the_lines_left_out) {
  log_throttle throttle{1s};
  log_throttle::time_point start{};
  // Rule N5: a flood of lines writes one a second; the next one written
  // says how many were left out before it.
  std::vector<step> script{
    {"the first line goes", 0ms, true, 0},
    {"within the second: left out", 10ms, false, 0},
    {"and again", 999ms, false, 0},
    {"a second after the last written: goes, reporting two", 1000ms, true, 2},
    {"within the next second: left out", 1500ms, false, 0},
    {"long after: goes, reporting one", 5000ms, true, 1},
    {"right after it: left out", 5001ms, false, 0},
  };
  int n = 0;
  for (auto& x : script) {
    BOOST_TEST_CONTEXT("step " << n++ << ": " << x.what) {
      auto v = throttle.on_line(start + x.at);
      BOOST_TEST(v.write == x.write);
      BOOST_TEST(v.left_out == x.left_out);
    }
  }
  BOOST_TEST(throttle.pending() == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
