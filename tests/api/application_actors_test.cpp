#include "tests/support/application_actors.hpp"

#include "sluice.hpp"
#include "tests/support/actor_system_fixture.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/stop_on_exit.hpp"
#include "tests/support/temp_dir.hpp"

#include <caf/all.hpp>

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <chrono>
#include <map>
#include <random>
#include <thread>

using namespace sluice;
using namespace std::chrono_literals;
using sluice::testing::actor_system_fixture;
using sluice::testing::consumer_log;
using sluice::testing::egress_consumer;
using sluice::testing::eventually;
using sluice::testing::failure_text;
using sluice::testing::feeder;
using sluice::testing::producer_log;
using sluice::testing::stop_on_exit;
using sluice::testing::tagged_record;
using sluice::testing::temp_dir;

BOOST_FIXTURE_TEST_SUITE(application_actors_tests, actor_system_fixture)

BOOST_AUTO_TEST_CASE(
  producers_and_job_failing_at_random_deliver_each_effect_once) {
  // Three producers feed a job whose instances fail at random (injected
  // faults, sources included); the producers themselves are killed at
  // random moments and restarted from what the job acknowledged. Through
  // the egress stages every record arrives exactly once, and the keyed
  // counts equal the ground truth.
  constexpr uint64_t producers = 3;
  constexpr uint64_t n = 20'000;
  constexpr uint64_t keys = 50;
  temp_dir dir;
  job_builder job{"actors under fire"};
  auto& cp = job.settings().checkpoints;
  cp.store = dir.file("job.db");
  cp.interval = 20ms;
  cp.full_every = 4;
  auto& r = job.settings().restarts;
  r.max_restarts = 100;
  r.initial_backoff = 1ms;
  r.max_backoff = 20ms;
  auto& f = job.settings().faults;
  f.probability = 0.002;
  f.count = 8;
  f.seed = 20261201;
  auto records = std::make_shared<consumer_log<tagged_record>>();
  auto counts = std::make_shared<consumer_log<std::pair<uint64_t, uint64_t>>>();
  auto records_in
    = sys.spawn(egress_consumer<tagged_record>, uint64_t{2048}, records);
  auto counts_in = sys.spawn(egress_consumer<std::pair<uint64_t, uint64_t>>,
                             uint64_t{2048}, counts);
  auto in = job.ingress<tagged_record>("in").parallelism(2);
  in.map("pass", [](const tagged_record& x) { return x; })
    .parallelism(2)
    .egress("records", records_in);
  in.key_by([](const tagged_record& x) { return x.second % keys; })
    .count("count")
    .parallelism(2)
    .egress("counts", counts_in);
  auto handle = job.start(sys);
  BOOST_TEST_REQUIRE(static_cast<bool>(handle), failure_text(handle));
  stop_on_exit stops_handle{*handle};
  auto gateway = handle->ingress("in");
  std::vector<std::shared_ptr<producer_log>> logs;
  std::vector<caf::actor> feeders;
  for (uint64_t p = 0; p < producers; ++p) {
    logs.push_back(std::make_shared<producer_log>());
    feeders.push_back(sys.spawn(feeder, gateway, p, n, 20, logs[p]));
  }
  auto all_acknowledged = [&] {
    return std::all_of(logs.begin(), logs.end(),
                       [&](auto& log) { return log->acknowledged == n; });
  };
  // Kill a random producer now and then while records flow; each comes
  // back from its acknowledged position.
  std::minstd_rand rng{7};
  int kills = 0;
  auto deadline = std::chrono::steady_clock::now() + job_timeout;
  while (!all_acknowledged()) {
    BOOST_TEST_REQUIRE((std::chrono::steady_clock::now() < deadline));
    std::this_thread::sleep_for(std::chrono::milliseconds(20 + rng() % 60));
    auto p = rng() % producers;
    if (kills >= 8 || logs[p]->acknowledged == n)
      continue;
    caf::anon_send_exit(feeders[p], caf::exit_reason::kill);
    feeders[p] = sys.spawn(feeder, gateway, p, n, 20, logs[p]);
    ++kills;
  }
  handle->stop();
  auto report = handle->wait();
  BOOST_TEST_REQUIRE(static_cast<bool>(report), failure_text(report));
  BOOST_TEST_REQUIRE(
    eventually([&] { return records->has_ended() && counts->has_ended(); }));
  for (auto& a : feeders)
    caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
  uint64_t sent = 0;
  for (auto& log : logs)
    sent += log->sent;
  BOOST_TEST_MESSAGE(
    kills << " producer kills, " << handle->metrics().failures()
          << " job failures, " << report->recoveries.size() << " recoveries; "
          << sent << " records sent for " << producers * n << ", "
          << records->raw_records << " delivered for " << records->size());
  BOOST_TEST(kills > 0);
  BOOST_TEST(handle->metrics().failures() > 0u);
  BOOST_TEST(report->recoveries.size() > 0u);
  // Some recovery went back to a checkpoint, not to the start: restored
  // positions and egress epochs were exercised.
  BOOST_TEST(std::any_of(report->recoveries.begin(), report->recoveries.end(),
                         [](auto& x) { return x.restored_checkpoint > 0; }));
  // Every record exactly once.
  auto xs = records->snapshot();
  std::sort(xs.begin(), xs.end());
  std::vector<tagged_record> want;
  for (uint64_t p = 0; p < producers; ++p)
    for (uint64_t i = 0; i < n; ++i)
      want.emplace_back(p, i);
  BOOST_TEST_REQUIRE(xs.size() == want.size());
  BOOST_TEST((xs == want));
  // A redelivery under a number always carried the same record.
  BOOST_TEST(records->conflicts == 0u);
  BOOST_TEST(counts->conflicts == 0u);
  // Counts: the latest value per key is the ground truth.
  std::map<uint64_t, uint64_t> latest;
  for (auto& [k, c] : counts->snapshot())
    latest[k] = c;
  BOOST_TEST_REQUIRE(latest.size() == keys);
  for (auto& [k, c] : latest)
    BOOST_TEST_REQUIRE(c == producers * n / keys);
}

BOOST_AUTO_TEST_SUITE_END()
