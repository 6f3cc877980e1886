#include "sluice.hpp"
#include "tests/support/actor_system_fixture.hpp"

#include <boost/test/unit_test.hpp>

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

using namespace sluice;
using sluice::testing::actor_system_fixture;
using sluice::testing::failure_text;

namespace {

auto numbers(uint64_t n) {
  return generate(n, 1, [](uint64_t i, uint64_t) { return i; });
}

template <class K, class V>
std::map<K, V> latest_per_key(const std::vector<std::pair<K, V>>& changelog) {
  std::map<K, V> result;
  for (auto& [k, v] : changelog)
    result[k] = v;
  return result;
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(operators_tests, actor_system_fixture)

BOOST_AUTO_TEST_CASE(map_filter_and_flat_map_transform_every_record) {
  job_builder job{"stateless"};
  auto src = job.source("numbers", numbers(1000));
  auto doubled
    = src.map("double", [](uint64_t x) { return 2 * x; }).collect("doubled");
  auto evens = src.filter("evens", [](uint64_t x) { return x % 2 == 0; })
                 .collect("evens-out");
  auto repeated
    = src
        .flat_map<std::string>("repeat",
                               [](uint64_t x, emitter<std::string>& out) {
                                 for (uint64_t k = 0; k < x % 3; ++k)
                                   out(std::to_string(x));
                               })
        .collect("repeated");
  auto report = job.run(sys);
  BOOST_TEST_REQUIRE(static_cast<bool>(report), failure_text(report));
  std::vector<uint64_t> want_doubled;
  std::vector<uint64_t> want_evens;
  std::vector<std::string> want_repeated;
  for (uint64_t x = 0; x < 1000; ++x) {
    want_doubled.push_back(2 * x);
    if (x % 2 == 0)
      want_evens.push_back(x);
    for (uint64_t k = 0; k < x % 3; ++k)
      want_repeated.push_back(std::to_string(x));
  }
  BOOST_TEST(doubled->records() == want_doubled,
             boost::test_tools::per_element());
  BOOST_TEST(evens->records() == want_evens, boost::test_tools::per_element());
  BOOST_TEST(repeated->records() == want_repeated,
             boost::test_tools::per_element());
  BOOST_TEST(report->records_out("numbers") == 3000u); // one copy per reader
}

BOOST_AUTO_TEST_CASE(keyed_reduce_count_and_aggregate_keep_state_per_key) {
  job_builder job{"keyed"};
  auto keyed = job.source("numbers", numbers(10000)).key_by([](uint64_t x) {
    return x % 7;
  });
  using kv = std::pair<uint64_t, uint64_t>;
  auto sums = job.stream_of<uint64_t>("numbers")
                .map("pair",
                     [](uint64_t x) {
                       return kv{x % 7, x};
                     })
                .key_by([](const kv& x) { return x.first; })
                .reduce("sum",
                        [](const kv& acc, const kv& x) {
                          return kv{acc.first, acc.second + x.second};
                        })
                .parallelism(3)
                .collect("sums");
  auto counts = keyed.count("count").parallelism(2).collect("counts");
  auto maxima
    = keyed
        .aggregate("max", uint64_t{0},
                   [](uint64_t& acc, uint64_t x) { acc = std::max(acc, x); })
        .collect("maxima");
  auto report = job.run(sys);
  BOOST_TEST_REQUIRE(static_cast<bool>(report), failure_text(report));
  std::map<uint64_t, uint64_t> want_sum;
  std::map<uint64_t, uint64_t> want_count;
  std::map<uint64_t, uint64_t> want_max;
  for (uint64_t x = 0; x < 10000; ++x) {
    want_sum[x % 7] += x;
    ++want_count[x % 7];
    want_max[x % 7] = std::max(want_max[x % 7], x);
  }
  // reduce emits the running value: the last one per key is the total.
  BOOST_TEST((latest_per_key(sums->records()) == want_sum));
  BOOST_TEST((latest_per_key(counts->records()) == want_count));
  BOOST_TEST((latest_per_key(maxima->records()) == want_max));
}

BOOST_AUTO_TEST_CASE(keyed_changelog_only_grows_per_key) {
  job_builder job{"changelog"};
  auto counts = job.source("numbers", numbers(5000))
                  .key_by([](uint64_t x) { return x % 11; })
                  .count("count")
                  .collect("counts");
  auto report = job.run(sys);
  BOOST_TEST_REQUIRE(static_cast<bool>(report), failure_text(report));
  // One update per key per batch at most, each larger than the last.
  std::map<uint64_t, uint64_t> last;
  for (auto& [k, n] : counts->records()) {
    BOOST_TEST(n > last[k]);
    last[k] = n;
  }
  BOOST_TEST(counts->size() < 5000u);
}

BOOST_AUTO_TEST_CASE(a_throwing_function_fails_the_job_naming_the_record) {
  job_builder job{"failing"};
  job.source("numbers", numbers(1000))
    .map("boom",
         [](uint64_t x) {
           if (x == 500)
             throw std::invalid_argument("no fives");
           return x;
         })
    .collect("out");
  auto report = job.run(sys);
  BOOST_TEST_REQUIRE(!static_cast<bool>(report));
  BOOST_TEST(describe(report.error())
             == "stage 'boom' instance 0/1 failed on record 500: no fives");
}

BOOST_AUTO_TEST_CASE(map_and_filter_of_strings_keep_every_record_in_order) {
  // Sole owners of their batches: map and filter rewrite them in place.
  job_builder job{"strings"};
  auto out
    = job.source("numbers", numbers(5000))
        .map("text", [](uint64_t x) { return std::to_string(x); })
        .map("exclaim", [](const std::string& x) { return x + "!"; })
        .filter("no-sevens",
                [](const std::string& x) {
                  return x[x.size() - 2] != '7'; // before the '!'
                })
        .filter("short", [](const std::string& x) { return x.size() <= 4; })
        .collect("out");
  auto report = job.run(sys);
  BOOST_TEST_REQUIRE(static_cast<bool>(report), failure_text(report));
  std::vector<std::string> want;
  for (uint64_t x = 0; x < 5000; ++x) {
    auto text = std::to_string(x) + "!";
    if (x % 10 != 7 && text.size() <= 4)
      want.push_back(text);
  }
  BOOST_TEST(out->records() == want, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_throwing_filter_names_the_record_it_was_given) {
  // Kept records move to the front of the batch before the failure: the
  // record named must still be the one the predicate saw.
  job_builder job{"failing-filter"};
  job.source("numbers", numbers(1000))
    .map("text", [](uint64_t x) { return "record-" + std::to_string(x); })
    .filter("picky",
            [](const std::string& x) {
              if (x == "record-700")
                throw std::invalid_argument("no sevens");
              return x.back() != '3';
            })
    .collect("out");
  auto report = job.run(sys);
  BOOST_TEST_REQUIRE(!static_cast<bool>(report));
  BOOST_TEST(describe(report.error())
             == "stage 'picky' instance 0/1 failed on record record-700: "
                "no sevens");
}

BOOST_AUTO_TEST_SUITE_END()
