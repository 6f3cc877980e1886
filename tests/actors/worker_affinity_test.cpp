#include "actors/worker_affinity.hpp"

#include "tests/support/actor_system_fixture.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/networked_actor_system.hpp"

#include <caf/all.hpp>
#include <caf/io/middleman.hpp>
#include <caf/scheduler/coordinator.hpp>

#include <boost/test/unit_test.hpp>

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>
#include <vector>

using namespace sluice;
using namespace std::chrono_literals;
using sluice::actors::worker_affinity;
using sluice::testing::actor_system_fixture;
using sluice::testing::eventually;

namespace {

using coordinator = caf::scheduler::coordinator<caf::policy::work_stealing>;

/// What the actors of a test share with the test's thread.
struct probe {
  std::atomic<bool> release{false}; ///< Ends the spinning.
  std::atomic<int> spinner_worker{-1};
  std::atomic<int> sender_worker{-1};
  std::atomic<bool> sent{false};
  std::atomic<bool> receiver_ready{false};
  std::atomic<int> received{0};
  /// Written by the receiver only; read once `received` says all came.
  std::vector<int> order;
};

/// Keeps the calling worker busy until the test releases it, so that it
/// neither runs nor steals what is queued meanwhile.
void spin_until_released(const probe& p) {
  auto deadline = std::chrono::steady_clock::now() + 10s;
  while (!p.release.load() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::yield();
}

caf::behavior receiver(caf::event_based_actor*, std::shared_ptr<probe> p) {
  p->receiver_ready = true;
  return {
    [p](int x) {
      p->order.push_back(x);
      p->received.fetch_add(1);
    },
  };
}

caf::behavior spinner(caf::event_based_actor* self, std::shared_ptr<probe> p) {
  worker_affinity affinity{self->home_system()};
  p->spinner_worker = affinity.worker_of(self->context());
  spin_until_released(*p);
  return {};
}

/// Sends one message to `to`, whose worker it believes to be `home`
/// (-1: the spinner's), then occupies its own worker.
caf::behavior sender(caf::event_based_actor* self, std::shared_ptr<probe> p,
                     caf::actor to, int home) {
  worker_affinity affinity{self->home_system()};
  p->sender_worker = affinity.worker_of(self->context());
  affinity.send(self, to, home, 1);
  p->sent = true;
  spin_until_released(*p);
  return {};
}

struct two_busy_workers : actor_system_fixture {
  std::shared_ptr<probe> p = std::make_shared<probe>();
  caf::actor to;

  two_busy_workers() {
    BOOST_REQUIRE_EQUAL(sys.scheduler().num_workers(), 2u);
    to = sys.spawn(receiver, p);
    BOOST_REQUIRE(eventually([&] { return p->receiver_ready.load(); }));
    sys.spawn(spinner, p);
    BOOST_REQUIRE(eventually([&] { return p->spinner_worker.load() >= 0; }));
  }

  ~two_busy_workers() { p->release = true; }

  /// Whether worker `i` has work waiting in its queue.
  bool queued_on(int i) {
    auto& c = dynamic_cast<coordinator&>(sys.scheduler());
    return !c.worker_by_id(static_cast<size_t>(i))->data().queue.empty();
  }
};

} // namespace

BOOST_AUTO_TEST_SUITE(worker_affinity_tests)

BOOST_FIXTURE_TEST_CASE(a_woken_actor_is_queued_on_the_worker_it_last_ran_on,
                        two_busy_workers) {
  // The spinner holds one worker, the sender the other. The receiver's
  // home is the spinner's worker: it waits there, not behind its sender.
  int home = p->spinner_worker;
  sys.spawn(sender, p, to, home);
  BOOST_REQUIRE(eventually([&] { return p->sent.load(); }));
  BOOST_REQUIRE_NE(p->sender_worker.load(), home);
  BOOST_CHECK(queued_on(home));
  BOOST_CHECK(!queued_on(p->sender_worker));
  p->release = true;
  BOOST_CHECK(eventually([&] { return p->received.load() == 1; }));
}

BOOST_FIXTURE_TEST_CASE(without_a_known_worker_it_is_queued_behind_its_sender,
                        two_busy_workers) {
  // What CAF does by itself, and what the case above changes.
  sys.spawn(sender, p, to, -1);
  BOOST_REQUIRE(eventually([&] { return p->sent.load(); }));
  BOOST_CHECK(queued_on(p->sender_worker));
  BOOST_CHECK(!queued_on(p->spinner_worker));
  p->release = true;
  BOOST_CHECK(eventually([&] { return p->received.load() == 1; }));
}

BOOST_FIXTURE_TEST_CASE(messages_keep_their_order_however_they_wake_it,
                        actor_system_fixture) {
  // Sends alternate between CAF's own path and queueing the receiver on
  // either worker; the receiver often drains its mailbox in between.
  constexpr int n = 20'000;
  auto p = std::make_shared<probe>();
  auto to = sys.spawn(receiver, p);
  sys.spawn([p, to](caf::event_based_actor* self) {
    worker_affinity affinity{self->home_system()};
    for (int i = 0; i < n; ++i) // homes -1, 0, 1 in runs of seven
      affinity.send(self, to, (i / 7) % 3 - 1, i);
  });
  BOOST_REQUIRE(eventually([&] { return p->received.load() == n; }));
  BOOST_REQUIRE_EQUAL(p->order.size(), static_cast<size_t>(n));
  for (int i = 0; i < n; ++i)
    BOOST_REQUIRE_EQUAL(p->order[static_cast<size_t>(i)], i);
}

BOOST_AUTO_TEST_CASE(under_another_scheduler_it_sends_as_caf_does) {
  actor_system_fixture::config cfg;
  cfg.set("scheduler.policy", caf::atom("sharing"));
  caf::actor_system sys{cfg};
  auto p = std::make_shared<probe>();
  auto to = sys.spawn(receiver, p);
  sys.spawn([p, to](caf::event_based_actor* self) {
    worker_affinity affinity{self->home_system()};
    p->sender_worker = affinity.worker_of(self->context());
    affinity.send(self, to, 0, 1);
  });
  BOOST_CHECK(eventually([&] { return p->received.load() == 1; }));
  BOOST_CHECK_EQUAL(p->sender_worker.load(), -1);
}

BOOST_AUTO_TEST_CASE(peers_in_another_process_get_no_worker) {
  // A second actor system stands for another process: its actor reaches
  // us as a proxy over a real socket on 127.0.0.1.
  sluice::testing::networked_config cfg_a{sluice::testing::heartbeats::off};
  sluice::testing::networked_config cfg_b{sluice::testing::heartbeats::off};
  caf::actor_system a{cfg_a};
  caf::actor_system b{cfg_b};
  auto p = std::make_shared<probe>();
  auto remote_peer = b.spawn(receiver, p);
  auto port = b.middleman().publish(remote_peer, 0, "127.0.0.1");
  BOOST_REQUIRE(port);
  auto proxy = a.middleman().remote_actor("127.0.0.1", *port);
  BOOST_REQUIRE(proxy);
  auto local_peer = a.spawn(receiver, std::make_shared<probe>());
  // What a remote peer's messages say of its worker means nothing here.
  actors::peer_homes homes{a.node(), {*proxy, local_peer, caf::actor{}}};
  for (size_t k = 0; k < 3; ++k) {
    BOOST_CHECK_EQUAL(homes[k], -1);
    homes.learn(k, 1);
  }
  BOOST_CHECK_EQUAL(homes[0], -1);
  BOOST_CHECK_EQUAL(homes[1], 1);
  BOOST_CHECK_EQUAL(homes[2], -1);
  caf::anon_send_exit(local_peer, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(remote_peer, caf::exit_reason::user_shutdown);
}

BOOST_AUTO_TEST_SUITE_END()
