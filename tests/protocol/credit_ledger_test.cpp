#include "protocol/credit_ledger.hpp"

#include "tests/support/caf_printing.hpp"

#include <boost/test/unit_test.hpp>

#include <random>
#include <vector>

using namespace sluice::protocol;

namespace {

std::vector<credit_grant> grants_of(credit_ledger& ledger) {
  std::vector<credit_grant> out;
  ledger.collect_grants(out);
  return out;
}

} // namespace

BOOST_AUTO_TEST_SUITE(credit_ledger_tests)

BOOST_AUTO_TEST_CASE(opening_grants_each_channel_its_share) {
  credit_ledger ledger{100, 3};
  // Rule D4: the budget splits into one share per channel.
  std::vector<credit_grant> expected{{0, 34}, {1, 33}, {2, 33}};
  auto got = grants_of(ledger);
  BOOST_TEST(got == expected, boost::test_tools::per_element());
  BOOST_TEST(ledger.outstanding() == 100u);
  // Nothing more is due until records are consumed.
  BOOST_TEST(grants_of(ledger).empty());
}

BOOST_AUTO_TEST_CASE(channel_is_topped_up_at_half_its_share) {
  credit_ledger ledger{100, 2};
  static_cast<void>(grants_of(ledger));
  struct step {
    uint64_t arrive;
    uint64_t consume;
    std::vector<credit_grant> grants;
  };
  std::vector<step> script{
    // 20 of 50 consumed: 30 still granted, above the low mark of 25.
    {20, 20, {}},
    // 30 consumed: 20 granted, at or below 25: top up to 50 (rule D2).
    {10, 10, {{0, 30}}},
    // Arrived but held (set aside): still counts against the share.
    {50, 0, {}},
    // Consumed the held records: everything free, full share again.
    {0, 50, {{0, 50}}},
  };
  for (auto& s : script) {
    if (s.arrive > 0)
      BOOST_TEST(ledger.on_arrival(0, s.arrive));
    if (s.consume > 0)
      ledger.on_consumed(0, s.consume);
    auto got = grants_of(ledger);
    BOOST_TEST(got == s.grants, boost::test_tools::per_element());
  }
}

BOOST_AUTO_TEST_CASE(records_beyond_the_credit_are_reported) {
  credit_ledger ledger{10, 1};
  static_cast<void>(grants_of(ledger));
  BOOST_TEST(ledger.on_arrival(0, 10));
  // Rule D3: a producer never sends more than its credit.
  BOOST_TEST(!ledger.on_arrival(0, 1));
  BOOST_TEST(ledger.held() == 11u);
}

BOOST_AUTO_TEST_CASE(closed_channel_gives_its_share_to_the_others) {
  credit_ledger ledger{100, 2};
  static_cast<void>(grants_of(ledger));
  BOOST_TEST(ledger.on_arrival(0, 50));
  ledger.on_consumed(0, 50);
  ledger.close(1);
  BOOST_TEST(ledger.open_inputs() == 1u);
  BOOST_TEST(ledger.share(0) == 100u);
  std::vector<credit_grant> expected{{0, 100}};
  auto got = grants_of(ledger);
  BOOST_TEST(got == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(waiting_records_never_exceed_the_budget) {
  // Random arrivals and consumptions, as a well-behaved producer and a
  // consumer that sometimes sets batches aside: granted-but-not-arrived plus
  // arrived-but-not-consumed stays within the budget at every step (D4).
  constexpr uint64_t budget = 1000;
  credit_ledger ledger{budget, 4};
  std::mt19937_64 rng{7};
  std::vector<uint64_t> credit(4, 0);
  std::vector<uint64_t> held(4, 0);
  for (int step = 0; step < 100000; ++step) {
    std::vector<credit_grant> grants;
    ledger.collect_grants(grants);
    for (auto& g : grants)
      credit[g.input] += g.credit;
    auto ch = static_cast<uint32_t>(rng() % 4);
    if (rng() % 2 == 0 && credit[ch] > 0) {
      auto n = 1 + rng() % credit[ch];
      credit[ch] -= n;
      held[ch] += n;
      BOOST_REQUIRE(ledger.on_arrival(ch, n));
    } else if (held[ch] > 0) {
      auto n = 1 + rng() % held[ch];
      held[ch] -= n;
      ledger.on_consumed(ch, n);
    }
    BOOST_REQUIRE_LE(ledger.outstanding() + ledger.held(), budget);
  }
}

BOOST_AUTO_TEST_SUITE_END()
