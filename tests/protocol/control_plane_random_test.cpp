#include "protocol/checkpoint_tracker.hpp"
#include "protocol/end_of_job.hpp"
#include "protocol/failover_machine.hpp"
#include "protocol/source_lifecycle.hpp"

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <variant>
#include <vector>

using namespace sluice::protocol;
using namespace std::chrono_literals;

// Drives the control plane's machines (source_lifecycle, end_of_job,
// checkpoint_tracker, failover_machine) through long random event
// sequences, wired as the actors wire them, with messages between them
// delivered in random order (as between different senders), and checks
// their invariants at every step.

namespace {

/// One region per pipeline: a source and a sink instance each.
constexpr uint32_t regions = 3;

struct finished_msg {
  uint32_t source;
  uint32_t incarnation;
};

struct trigger_msg {
  checkpoint_plan plan;
  uint32_t source;
  uint32_t incarnation;
};

struct ack_msg {
  checkpoint_id id;
  uint32_t stage; ///< 0: source, 1: sink.
  uint32_t instance;
};

struct committed_msg {
  checkpoint_id id;
  uint32_t source;
  uint32_t incarnation;
};

struct paused_msg {
  final_at_failover final;
};

struct backoff_msg {
  uint64_t generation;
};

using message = std::variant<finished_msg, trigger_msg, ack_msg, committed_msg,
                             paused_msg, backoff_msg>;

struct sim_source {
  source_lifecycle life{source_ending::final_checkpoint};
  uint32_t incarnation = 0;
  bool alive = true;
  uint32_t left = 0; ///< Batches still to read.
};

class world {
public:
  explicit world(uint64_t seed)
      : rng_(seed), end_(all_sources(), 0),
        tracker_(2 * regions, 2, 3, std::nullopt),
        failover_(regions, true, limits(), seed) {
    for (uint32_t i = 0; i < regions; ++i) {
      sources_.emplace_back();
      sources_.back().left = draw(0, 20);
      on_source(i, sources_.back().life.on_started(start_mode::fresh));
    }
  }

  /// One random event. `chaos`: failures and timeouts may happen.
  void step(bool chaos) {
    ++now_;
    switch (draw(0, chaos ? 9 : 6)) {
    case 0:
    case 1:
      read_some();
      break;
    case 2:
    case 3:
    case 4:
      deliver();
      break;
    case 5:
      tick();
      break;
    case 6:
      if (draw(0, 30) == 0)
        stop_all();
      break;
    case 7:
      if (draw(0, 4) == 0)
        fail(draw(0, regions - 1));
      break;
    case 8:
      if (draw(0, 3) == 0)
        time_out();
      break;
    default:
      deliver();
    }
  }

  /// True once the job ended: its final checkpoint completed and every
  /// live source ended, or it failed.
  bool over() const {
    if (failed_)
      return true;
    if (end_.phase() != job_end_phase::completed)
      return false;
    for (auto& s : sources_)
      if (s.life.phase() != source_phase::ended)
        return false;
    return failover_.phase() == failover_phase::running;
  }

  std::string describe() const {
    std::string text = "end " + to_string(end_.phase()) + ", failover "
                       + to_string(failover_.phase()) + ", "
                       + std::to_string(bag_.size()) + " messages, sources";
    for (auto& s : sources_)
      text += " " + to_string(s.life.phase()) + "#"
              + std::to_string(s.incarnation);
    return text;
  }

  bool failed() const noexcept { return failed_; }

  uint32_t restarts() const noexcept { return restarts_; }

private:
  static restart_limits limits() {
    restart_limits x;
    x.max_restarts = 1000;
    x.jitter = 0;
    return x;
  }

  static std::vector<std::pair<uint32_t, uint32_t>> all_sources() {
    std::vector<std::pair<uint32_t, uint32_t>> xs;
    for (uint32_t i = 0; i < regions; ++i)
      xs.emplace_back(0, i);
    return xs;
  }

  uint32_t draw(uint32_t lo, uint32_t hi) {
    return std::uniform_int_distribution<uint32_t>{lo, hi}(rng_);
  }

  failover_machine::time_point now() const {
    return failover_machine::time_point{} + now_ * 1ms;
  }

  // -- sources ------------------------------------------------------------

  void on_source(uint32_t i, source_answer a) {
    auto& s = sources_[i];
    BOOST_TEST_REQUIRE(a != source_answer::refuse,
                       "source " << i << " refused an event: " << describe());
    if (a == source_answer::report_finished)
      bag_.push_back(finished_msg{i, s.incarnation});
    // Outputs drain at once here; the answer may end the source.
    static_cast<void>(s.life.on_outputs_drained());
  }

  void read_some() {
    auto i = draw(0, regions - 1);
    auto& s = sources_[i];
    if (!s.alive || !s.life.reads())
      return;
    if (s.left > 0) {
      --s.left;
      if (draw(0, 5) == 0)
        on_source(i, s.life.on_saturated());
    } else {
      on_source(i, s.life.on_input_ended());
    }
    if (s.life.phase() == source_phase::paused)
      on_source(i, s.life.on_credit());
  }

  void stop_all() {
    for (uint32_t i = 0; i < regions; ++i)
      if (sources_[i].alive)
        on_source(i, sources_[i].life.on_stop(false));
  }

  // -- messages -----------------------------------------------------------

  void deliver() {
    if (bag_.empty())
      return;
    auto k = draw(0, static_cast<uint32_t>(bag_.size() - 1));
    auto m = bag_[k];
    bag_.erase(bag_.begin() + k);
    std::visit([this](auto& x) { on(x); }, m);
  }

  void on(const finished_msg& m) {
    end_.on_source_finished({0, m.source, m.incarnation});
    coordinate();
  }

  void on(const trigger_msg& m) {
    auto& s = sources_[m.source];
    if (!s.alive || s.incarnation != m.incarnation)
      return; // a dead actor
    auto a = s.life.on_trigger(m.plan.id, m.plan.final);
    // Invariant: no source gets the final trigger while it reads.
    BOOST_TEST_REQUIRE(
      a != source_answer::refuse,
      "final trigger reached a reading source: " << describe());
    if (a == source_answer::snapshot || a == source_answer::snapshot_final) {
      // Its snapshot, then its sink's behind the barrier.
      bag_.push_back(ack_msg{m.plan.id, 0, m.source});
      bag_.push_back(ack_msg{m.plan.id, 1, m.source});
    }
    on_source(m.source, source_answer::none);
  }

  void on(const ack_msg& m) {
    complete(tracker_.on_ack(m.id, m.stage, m.instance, 1));
    coordinate();
  }

  void complete(const std::vector<acknowledged_checkpoint>& xs) {
    for (auto& done : xs) {
      if (end_.on_completed(done.plan.id)) {
        // Invariant: at most one final checkpoint completes between two
        // restarts.
        BOOST_TEST_REQUIRE(
          ++finals_since_restart_ == 1u,
          "a second final checkpoint completed: " << describe());
      }
      completed_.push_back(done.plan.id);
      for (uint32_t i = 0; i < regions; ++i)
        bag_.push_back(committed_msg{done.plan.id, i, sources_[i].incarnation});
    }
  }

  void on(const committed_msg& m) {
    auto& s = sources_[m.source];
    if (s.alive && s.incarnation == m.incarnation)
      on_source(m.source, s.life.on_committed(m.id));
  }

  void on(const paused_msg& m) { runner(failover_.on_paused(m.final)); }

  void on(const backoff_msg& m) {
    runner(failover_.on_backoff_over(m.generation));
  }

  // -- coordinator --------------------------------------------------------

  void start(bool final) {
    auto plan = tracker_.start(final);
    if (!plan)
      return;
    if (final) {
      // Invariant: the final starts only once every source of the current
      // incarnations finished reading.
      for (auto& s : sources_)
        BOOST_TEST_REQUIRE(
          s.life.done_reading(),
          "final started while a source reads: " << describe());
      end_.on_final_started(plan->id);
    }
    for (uint32_t i = 0; i < regions; ++i)
      bag_.push_back(trigger_msg{*plan, i, sources_[i].incarnation});
  }

  void tick() {
    if (end_.accepts_checkpoints() && !end_.paused())
      start(false);
    coordinate();
  }

  /// What the coordinator does after each of its events.
  void coordinate() {
    if (end_.final_due(tracker_.in_flight()))
      start(true);
  }

  void abort(checkpoint_id id) {
    for (auto x : tracker_.abort(id))
      if (end_.on_aborted(x))
        failed_ = true; // the final aborted outside a failover (J5)
    complete(tracker_.complete_in_order());
  }

  void time_out() {
    if (tracker_.in_flight() == 0)
      return;
    // The oldest in flight: the one a timeout hits first.
    for (uint64_t id = 1;; ++id)
      if (tracker_.is_in_flight(checkpoint_id{id})) {
        abort(checkpoint_id{id});
        break;
      }
    coordinate();
  }

  // -- runner -------------------------------------------------------------

  void fail(uint32_t region) {
    if (failed_ || !sources_[region].alive)
      return;
    runner(failover_.on_failure(region, failure_kind::restartable, now()));
  }

  void runner(const failover_step& s) {
    switch (s.action) {
    case failover_action::pause_checkpoints: {
      // The coordinator pauses and aborts what is in flight.
      final_at_coordinator_ = end_.final_checkpoint();
      auto final = end_.on_failover();
      for (uint64_t id = 1; tracker_.in_flight() > 0; ++id)
        if (tracker_.is_in_flight(checkpoint_id{id}))
          abort(checkpoint_id{id});
      bag_.push_back(paused_msg{final});
      break;
    }
    case failover_action::stop_regions:
      for (auto r : failover_.failing())
        sources_[r].alive = false;
      runner(failover_.on_regions_down(now()));
      break;
    case failover_action::back_off:
      bag_.push_back(backoff_msg{s.generation});
      break;
    case failover_action::load: {
      // Now and then the newest checkpoint is damaged (S4).
      bool skip = completed_.size() > 1 && draw(0, 8) == 0;
      if (skip)
        completed_.pop_back();
      if (completed_.empty())
        runner(failover_.on_load_failed(s.generation, true));
      else
        runner(failover_.on_loaded(s.generation, skip));
      break;
    }
    case failover_action::respawn:
    case failover_action::respawn_fresh:
      respawn(s.action == failover_action::respawn && !completed_.empty()
                ? std::optional{completed_.back()}
                : std::nullopt);
      break;
    case failover_action::fail:
      failed_ = true;
      break;
    case failover_action::none:
      break;
    }
  }

  void respawn(std::optional<checkpoint_id> restored) {
    ++restarts_;
    finals_since_restart_ = 0;
    auto incarnation = restarts_;
    // L6: restored from the completed final checkpoint, they end.
    auto mode = failover_.final_state() == final_at_failover::completed
                    && restored == final_at_coordinator_
                  ? start_mode::job_done
                  : start_mode::fresh;
    std::vector<std::pair<uint32_t, uint32_t>> restarted;
    for (auto r : failover_.failing()) {
      auto& s = sources_[r];
      s = sim_source{};
      s.incarnation = incarnation;
      s.left = draw(0, 20);
      restarted.emplace_back(0, r);
    }
    end_.on_restarted(restarted, incarnation, restored);
    for (auto r : failover_.failing())
      on_source(r, sources_[r].life.on_started(mode));
    coordinate();
  }

  std::mt19937_64 rng_;
  end_of_job end_;
  checkpoint_tracker tracker_;
  failover_machine failover_;
  std::vector<sim_source> sources_;
  std::vector<message> bag_;
  std::vector<checkpoint_id> completed_;
  std::optional<checkpoint_id> final_at_coordinator_;
  uint32_t finals_since_restart_ = 0;
  uint32_t restarts_ = 0;
  uint64_t now_ = 0;
  bool failed_ = false;
};

uint64_t base_seed() {
  if (auto env = std::getenv("SLUICE_TEST_SEED"))
    return std::stoull(env);
  return std::random_device{}();
}

} // namespace

BOOST_AUTO_TEST_SUITE(control_plane_random_tests)

BOOST_AUTO_TEST_CASE(random_event_sequences_keep_the_invariants_and_end) {
  auto seed = base_seed();
  std::cout << "control_plane_random_tests: seed " << seed
            << " (SLUICE_TEST_SEED replays it)" << std::endl;
  uint32_t failed = 0;
  uint32_t restarts = 0;
  for (uint64_t run = 0; run < 300; ++run) {
    BOOST_TEST_CONTEXT("seed " << seed << ", run " << run) {
      world w{seed + run};
      // Chaos: failures and timeouts among everything else.
      for (int i = 0; i < 400 && !w.over(); ++i)
        w.step(true);
      // Then calm: the job must end, whatever the chaos left behind.
      int calm = 0;
      while (!w.over() && calm < 20000) {
        w.step(false);
        ++calm;
      }
      BOOST_TEST_REQUIRE(w.over(), "the job never ended: " << w.describe());
      failed += w.failed() ? 1 : 0;
      restarts += w.restarts();
    }
  }
  // The script must exercise failovers and mostly end well.
  BOOST_TEST(restarts > 100u);
  BOOST_TEST(failed < 150u);
}

BOOST_AUTO_TEST_SUITE_END()
