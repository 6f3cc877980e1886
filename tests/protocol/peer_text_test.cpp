#include "protocol/peer_text.hpp"

#include <boost/test/unit_test.hpp>

#include <string>

using namespace sluice::protocol;

BOOST_AUTO_TEST_SUITE(peer_text_tests)

BOOST_AUTO_TEST_CASE(plain_text_stays_as_it_is) {
  BOOST_TEST(peer_text("wordcount-2 (über)") == "wordcount-2 (über)");
}

BOOST_AUTO_TEST_CASE(line_breaks_cannot_start_a_line_of_their_own) {
  // Rule N5: a job named so would forge a line of the node's log.
  auto forged = "x\n2026-01-01T00:00:00.000Z INFO [worker_a] job 'y' joined";
  BOOST_TEST(peer_text(forged)
             == "x\\n2026-01-01T00:00:00.000Z INFO [worker_a] job 'y' joined");
  BOOST_TEST(peer_text("a\r\nb\tc") == "a\\r\\nb\\tc");
}

BOOST_AUTO_TEST_CASE(control_characters_and_backslashes_are_escaped) {
  BOOST_TEST(peer_text(std::string{"\x1b[31mred\x7f", 9})
             == "\\x1b[31mred\\x7f");
  BOOST_TEST(peer_text(std::string{"nul\0!", 5}) == "nul\\x00!");
  // Escaped backslashes keep the escapes unambiguous.
  BOOST_TEST(peer_text("a\\nb") == "a\\\\nb");
}

BOOST_AUTO_TEST_SUITE_END()
