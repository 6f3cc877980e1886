#include "protocol/connection_admission.hpp"

#include <boost/test/unit_test.hpp>

#include <vector>

using namespace sluice::protocol;
using namespace std::chrono_literals;

namespace {

using ids = std::vector<connection_admission::connection_id>;

connection_admission::time_point at(std::chrono::milliseconds t) {
  return connection_admission::time_point{} + t;
}

ids pending_ids(const connection_admission& x) {
  ids result;
  for (auto& w : x.pending())
    result.push_back(w.id);
  return result;
}

} // namespace

BOOST_AUTO_TEST_SUITE(connection_admission_tests)

BOOST_AUTO_TEST_CASE(a_connection_without_hello_is_closed_after_the_timeout) {
  connection_admission a{{1s, 8}};
  BOOST_TEST(a.on_accepted(7, "127.0.0.1:5001", at(0ms)).empty());
  BOOST_TEST(a.on_accepted(8, "127.0.0.1:5002", at(400ms)).empty());
  // N6: not yet overdue.
  BOOST_TEST(a.expired(at(999ms)).empty());
  // N6: the first is overdue a second after it arrived, the second not.
  BOOST_TEST(a.expired(at(1000ms)) == (ids{7}),
             boost::test_tools::per_element());
  BOOST_TEST(pending_ids(a) == (ids{8}), boost::test_tools::per_element());
  BOOST_TEST(a.expired(at(1400ms)) == (ids{8}),
             boost::test_tools::per_element());
  BOOST_TEST(a.pending().empty());
}

BOOST_AUTO_TEST_CASE(an_authenticated_peer_waits_no_more) {
  connection_admission a{{1s, 8}};
  BOOST_TEST(a.on_accepted(7, "127.0.0.1:5001", at(0ms)).empty());
  BOOST_TEST(a.on_accepted(8, "127.0.0.1:5002", at(0ms)).empty());
  // N1, N6: the peer at 5002 presented the secret.
  BOOST_TEST(a.on_authenticated("127.0.0.1:5002"));
  BOOST_TEST(!a.on_authenticated("127.0.0.1:5002"));
  BOOST_TEST(!a.on_authenticated("127.0.0.1:9999"));
  BOOST_TEST(a.expired(at(5s)) == (ids{7}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(beyond_the_limit_the_oldest_waiting_connection_closes) {
  connection_admission a{{1s, 2}};
  BOOST_TEST(a.on_accepted(1, "127.0.0.1:5001", at(0ms)).empty());
  BOOST_TEST(a.on_accepted(2, "127.0.0.1:5002", at(1ms)).empty());
  // N6: a third closes the oldest, never the newcomer: a job arriving
  // after many idle connections still gets its turn.
  BOOST_TEST(a.on_accepted(3, "127.0.0.1:5003", at(2ms)) == (ids{1}),
             boost::test_tools::per_element());
  BOOST_TEST(pending_ids(a) == (ids{2, 3}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_closed_or_reused_connection_is_forgotten) {
  connection_admission a{{1s, 4}};
  BOOST_TEST(a.on_accepted(1, "127.0.0.1:5001", at(0ms)).empty());
  BOOST_TEST(a.on_accepted(2, "127.0.0.1:5002", at(0ms)).empty());
  a.on_closed(1);
  // The socket of 2 closed unseen and came back for another peer.
  BOOST_TEST(a.on_accepted(2, "127.0.0.1:5003", at(500ms)).empty());
  BOOST_TEST(a.pending().size() == 1u);
  BOOST_TEST(a.pending().front().peer == "127.0.0.1:5003");
  BOOST_TEST(a.expired(at(1s)).empty());
}

BOOST_AUTO_TEST_SUITE_END()
