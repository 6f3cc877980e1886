#include "protocol/key_groups.hpp"
#include "protocol/key_hash.hpp"
#include "sluice.hpp"
#include "tests/support/actor_system_fixture.hpp"
#include "tests/support/gate.hpp"
#include "tests/support/stop_on_exit.hpp"

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <vector>

using namespace sluice;
using sluice::testing::actor_system_fixture;
using sluice::testing::failure_text;
using sluice::testing::gate;
using sluice::testing::open_on_exit;
using sluice::testing::stop_on_exit;

namespace {

/// Records of each kind that reached the sink; waitable.
class arrivals {
public:
  void add(bool hot) {
    std::lock_guard<std::mutex> guard{mtx_};
    ++(hot ? hot_ : cold_);
    cv_.notify_all();
  }

  /// Waits until `n` cold records arrived or `timeout` passed; the count.
  uint64_t wait_for_cold(uint64_t n, std::chrono::nanoseconds timeout) {
    std::unique_lock<std::mutex> guard{mtx_};
    cv_.wait_for(guard, timeout, [&] { return cold_ >= n; });
    return cold_;
  }

  uint64_t hot() {
    std::lock_guard<std::mutex> guard{mtx_};
    return hot_;
  }

  uint64_t cold() {
    std::lock_guard<std::mutex> guard{mtx_};
    return cold_;
  }

private:
  std::mutex mtx_;
  std::condition_variable cv_;
  uint64_t hot_ = 0;
  uint64_t cold_ = 0;
};

/// The instance (of `parallelism`) that owns `key`, as hash edges route.
uint32_t owner_of(uint64_t key, uint32_t parallelism, uint32_t key_groups) {
  protocol::key_groups groups{key_groups};
  return groups.instance_of(
    groups.group_of(protocol::key_hash<uint64_t>{}(key)), parallelism);
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(skew_tests, actor_system_fixture)

BOOST_AUTO_TEST_CASE(cold_keys_flow_through_while_the_hot_instance_is_stuck) {
  // Half the records carry the hot key 0, all from source instance 0; the
  // other half carry cold keys, all from source instance 1, none owned by
  // the hot key's instance. The hot instance stops dead on its first
  // record. Its backlog must stay its own (rules D2, D4): pressure stops
  // the source instance that feeds it, while every cold record reaches the
  // sink before the hot instance moves again. If one stuck partition
  // throttled the others, the cold records would stop too and the wait
  // below would run out.
  constexpr uint64_t n = 40000;
  constexpr uint64_t per_source = n / 2;
  constexpr uint32_t workers = 4;
  constexpr uint64_t budget = 1024;
  constexpr uint64_t batch = 64;
  job_builder job{"skew"};
  job.settings().batch_size = batch;
  job.settings().max_buffered_records = budget;
  job.settings().latency_interval = std::chrono::nanoseconds{0};
  auto key_groups = job.settings().key_groups;
  auto hot_owner = owner_of(0, workers, key_groups);
  std::vector<uint64_t> cold_keys;
  for (uint64_t k = 1; cold_keys.size() < 30; ++k)
    if (owner_of(k, workers, key_groups) != hot_owner)
      cold_keys.push_back(k);
  gate hot_gate;
  arrivals seen;
  // Instance 0 of 2 produces the even indices, instance 1 the odd ones.
  job
    .source("src", generate(n, 5,
                            [cold_keys](uint64_t i, uint64_t r) {
                              return i % 2 == 0
                                       ? uint64_t{0}
                                       : cold_keys[r % cold_keys.size()];
                            }))
    .parallelism(2)
    .key_by([](uint64_t key) { return key; })
    .map("work",
         [&hot_gate](uint64_t key) {
           if (key == 0)
             hot_gate.pass();
           return key;
         })
    .parallelism(workers)
    .for_each("sink", [&seen](uint64_t key) { seen.add(key == 0); });
  auto handle = job.start(sys);
  BOOST_TEST_REQUIRE(static_cast<bool>(handle), failure_text(handle));
  stop_on_exit stops_handle{*handle};
  // Declared after the handle's guard, so it runs first: the gate opens,
  // then the job can stop.
  open_on_exit opens_hot_gate{hot_gate};
  BOOST_TEST_REQUIRE(seen.wait_for_cold(per_source, job_timeout) == per_source);
  // While the hot instance is stuck: nothing hot passed it, and the source
  // instance feeding it was held back by credit. It read at most its share
  // of the hot instance's budget and a batch of its own buffer (576 here);
  // the bound leaves room for more buffering, not for reading on.
  BOOST_TEST(seen.hot() == 0u);
  uint64_t hot_read = 0;
  for (auto& m : handle->metrics().instances())
    if (m->stage == "src" && m->instance == 0)
      hot_read = m->records_in.load();
  BOOST_TEST_MESSAGE("hot source instance read " << hot_read << " of "
                                                 << per_source);
  BOOST_TEST(hot_read < per_source);
  BOOST_TEST(hot_read <= budget + 8 * batch);
  // Let the hot instance go: everything arrives.
  hot_gate.open();
  auto report = handle->wait();
  BOOST_TEST_REQUIRE(static_cast<bool>(report), failure_text(report));
  BOOST_TEST(seen.hot() == per_source);
  BOOST_TEST(seen.cold() == per_source);
  // Every instance took part: the cold ones did not starve.
  for (auto& r : report->instances)
    if (r.stage == "work")
      BOOST_TEST(r.records_in > 0u, "work instance " << r.instance);
}

BOOST_AUTO_TEST_SUITE_END()
