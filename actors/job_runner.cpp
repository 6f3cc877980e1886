#include "actors/job_runner.hpp"

#include "actors/atoms.hpp"
#include "actors/coordinator_actor.hpp"
#include "actors/errc.hpp"
#include "actors/node_watcher.hpp"
#include "actors/operator_actor.hpp"
#include "actors/roster.hpp"
#include "actors/source_actor.hpp"
#include "protocol/checkpoint_messages.hpp"
#include "protocol/describe.hpp"
#include "state/errc.hpp"

#include <caf/all.hpp>

#include <algorithm>
#include <random>

namespace sluice::actors {

namespace {

using self_ptr = caf::stateful_actor<job_runner_state>*;
using state_type = job_runner_state;
using instance_id = state_type::instance_id;
using protocol::failover_action;
using protocol::failover_phase;

bool is_source(const job_plan& plan, uint32_t stage) {
  return plan.stages[stage].node.role == protocol::stage_role::source;
}

std::string where(const job_plan& plan, instance_id x) {
  return "stage '" + plan.stages[x.first].node.name + "' instance "
         + std::to_string(x.second) + "/"
         + std::to_string(plan.stages[x.first].node.parallelism);
}

bool failing(self_ptr self, instance_id x) {
  auto& st = self->state;
  return st.failover->failing().count(st.regions->of(x.first, x.second)) > 0;
}

/// Every instance of the failing regions.
std::vector<instance_id> failing_instances(self_ptr self) {
  auto& st = self->state;
  std::vector<instance_id> result;
  for (uint32_t s = 0; s < st.instances.size(); ++s)
    for (uint32_t i = 0; i < st.instances[s].size(); ++i)
      if (failing(self, {s, i}))
        result.emplace_back(s, i);
  return result;
}

/// The last report of an instance, if it sent one.
const instance_report* last_report(self_ptr self, instance_id x) {
  auto& st = self->state;
  auto& name = st.plan->stages[x.first].node.name;
  for (auto& r : st.report.instances)
    if (r.stage == name && r.instance == x.second)
      return &r;
  return nullptr;
}

/// I1: ingress gateways route to the instances running now.
void tell_gateways(self_ptr self) {
  auto& st = self->state;
  for (uint32_t s = 0; s < st.instances.size(); ++s)
    if (auto& g = st.plan->stages[s].gateway)
      self->send(g, instances_atom::value, st.instances[s]);
}

void conclude(self_ptr self) {
  auto& st = self->state;
  for (auto& s : st.plan->stages)
    if (s.gateway)
      self->send_exit(s.gateway, caf::exit_reason::user_shutdown);
  st.report.elapsed = state_type::clock::now() - st.started;
  for (auto& helper : {st.coordinator, st.store, st.nodes})
    if (helper)
      self->send_exit(helper, caf::exit_reason::user_shutdown);
  if (st.failure)
    st.plan->log->error("job failed: " + protocol::describe(st.failure));
  else
    st.plan->log->info(
      "job finished: " + std::to_string(st.report.completed_checkpoints())
      + " checkpoints completed, " + std::to_string(st.report.recoveries.size())
      + " recoveries");
  if (st.failure) {
    st.outcome->set(st.failure);
    for (auto& w : st.waiters)
      w.deliver(st.failure);
  } else {
    st.outcome->set(st.report);
    for (auto& w : st.waiters)
      w.deliver(st.report);
  }
  st.waiters.clear();
  self->quit();
}

void maybe_conclude(self_ptr self) {
  auto& st = self->state;
  if (st.live.empty()
      && (st.failure || st.failover->phase() == failover_phase::running))
    conclude(self);
}

/// The job fails for good: every instance stops (F7).
void fail_job(self_ptr self, const caf::error& reason) {
  auto& st = self->state;
  if (st.failure)
    return;
  st.failure = reason;
  st.failover->on_job_failed();
  for (auto& [addr, id] : st.live)
    self->send_exit(st.instances[id.first][id.second],
                    caf::exit_reason::user_shutdown);
  maybe_conclude(self);
}

caf::actor spawn_instance(self_ptr self,
                          const std::shared_ptr<const job_plan>& plan,
                          instance_id x) {
  auto& st = self->state;
  // Counters go on across restarts: they count work done, replays
  // included. The predecessor's report says how far it got.
  instance_counters counters;
  if (auto r = last_report(self, x))
    counters = instance_counters{r->records_in, r->batches_in};
  auto a = is_source(*plan, x.first)
             ? self->spawn<caf::monitored>(source_actor, plan, x.first,
                                           x.second, counters)
             : self->spawn<caf::monitored>(operator_actor, plan, x.first,
                                           x.second, counters);
  st.live.emplace(a.address(), x);
  st.instances[x.first][x.second] = a;
  return a;
}

/// The handles the coordinator works with, in a fixed order.
std::pair<std::vector<caf::actor>, std::vector<caf::actor>>
split(self_ptr self) {
  auto& st = self->state;
  std::vector<caf::actor> sources;
  std::vector<caf::actor> committers;
  for (uint32_t s = 0; s < st.instances.size(); ++s)
    for (auto& a : st.instances[s])
      (is_source(*st.plan, s) ? sources : committers).push_back(a);
  return {std::move(sources), std::move(committers)};
}

void act(self_ptr self, const protocol::failover_step& step);

/// R3, L6, O4: the failing regions come back with the state of `point`
/// (fresh without one), the sources at its offsets; behind the job's
/// completed final checkpoint they only end.
void respawn(self_ptr self, restore_handle point) {
  auto& st = self->state;
  auto next = std::make_shared<job_plan>(*st.plan);
  next->restored = point;
  next->attempt = st.plan->attempt + 1;
  next->start
    = st.failover->final_state() == protocol::final_at_failover::completed
          && point && point->checkpoint.id == st.final_id
        ? protocol::start_mode::job_done
        : protocol::start_mode::fresh;
  st.plan = next;
  auto ids = failing_instances(self);
  std::vector<caf::actor> fresh;
  std::vector<std::pair<uint32_t, uint32_t>> restarted_sources;
  uint64_t restored_records = 0;
  bool has_operator = false;
  for (auto& x : ids) {
    fresh.push_back(spawn_instance(self, st.plan, x));
    if (is_source(*st.plan, x.first)) {
      restarted_sources.push_back(x);
      if (point) {
        auto& chain
          = point->chain(st.plan->stages[x.first].node.name, x.second);
        if (!chain.empty())
          restored_records += chain.back().source_records.value_or(0);
      }
    } else {
      has_operator = true;
    }
  }
  roster everyone{self, st.coordinator, st.store, st.instances};
  for (auto& a : fresh)
    self->send(a, everyone);
  tell_gateways(self);
  if (st.coordinator) {
    auto [sources, committers] = split(self);
    self->send(st.coordinator,
               regions_restarted{std::move(sources), std::move(committers),
                                 restarted_sources, st.plan->attempt,
                                 point ? point->checkpoint.id
                                       : protocol::checkpoint_id{0}});
  }
  if (st.stop_requested)
    for (auto& x : restarted_sources)
      self->send(st.instances[x.first][x.second], stop_atom::value);
  // What the failing regions' sources had read, replayed after the
  // restart unless the checkpoint covers it: their last reports, sent as
  // they stopped.
  uint64_t read_before = 0;
  for (auto& x : restarted_sources)
    if (auto r = last_report(self, x))
      read_before += r->records_in;
  st.recovery.restarting(point ? protocol::to_integer(point->checkpoint.id) : 0,
                         point ? point->bytes : 0,
                         static_cast<uint32_t>(ids.size()), read_before,
                         restored_records);
  st.loaded = nullptr;
  // Nothing downstream to report a first record: the sources resumed as
  // they started, or the regions only end behind the final checkpoint.
  if (!has_operator || st.plan->start == protocol::start_mode::job_done)
    self->send(self, resumed_atom::value, ids.front().first,
               ids.front().second);
}

/// F2: stops the failing regions' live instances; the backoff waits until
/// they are all down (F3).
void stop_failing(self_ptr self) {
  auto& st = self->state;
  bool any = false;
  for (auto& [addr, x] : st.live)
    if (failing(self, x)) {
      any = true;
      self->send_exit(st.instances[x.first][x.second],
                      caf::exit_reason::user_shutdown);
    }
  if (!any)
    act(self, st.failover->on_regions_down(state_type::clock::now()));
}

/// F5, S4: the restore point of the restart under way.
void load(self_ptr self, uint64_t generation) {
  auto& st = self->state;
  bool nothing_completed
    = st.report.completed_checkpoints() == 0 && !st.plan->restored;
  if (!st.store) {
    act(self, st.failover->on_load_failed(generation, nothing_completed));
    return;
  }
  self->request(st.store, caf::infinite, load_atom::value)
    .then(
      [self, generation](restore_handle point) {
        auto& runner = self->state;
        if (generation != runner.failover->generation())
          return;
        for (auto& note : point->skipped)
          runner.plan->log->warning("restore: " + note);
        runner.loaded = point;
        act(self,
            runner.failover->on_loaded(generation, !point->skipped.empty()));
      },
      [self, generation, nothing_completed](caf::error& err) {
        auto& runner = self->state;
        if (generation != runner.failover->generation())
          return;
        if (err != state::errc::no_checkpoint) {
          fail_job(self, err);
          return;
        }
        // F6: nothing completed yet: from the start. But once checkpoints
        // completed, sinks published their epochs; starting over would
        // publish them again.
        auto step
          = runner.failover->on_load_failed(generation, nothing_completed);
        if (step.action == failover_action::fail)
          fail_job(self, err);
        else
          act(self, step);
      });
}

/// F2: the coordinator pauses checkpoints and says where the final
/// checkpoint was.
void pause_checkpoints(self_ptr self) {
  auto& st = self->state;
  self->request(st.coordinator, caf::infinite, failover_atom::value)
    .then(
      [self](const protocol::failover_paused& p) {
        auto& runner = self->state;
        runner.final_id = p.final_id;
        act(self, runner.failover->on_paused(p.final));
      },
      [self](caf::error& err) { fail_job(self, err); });
}

/// Carries out what the failover machine answered.
void act(self_ptr self, const protocol::failover_step& step) {
  auto& st = self->state;
  switch (step.action) {
  case failover_action::pause_checkpoints:
    pause_checkpoints(self);
    break;
  case failover_action::stop_regions:
    stop_failing(self);
    break;
  case failover_action::back_off:
    self->delayed_send(self, step.delay, restart_atom::value, step.generation);
    break;
  case failover_action::load:
    load(self, step.generation);
    break;
  case failover_action::respawn:
    respawn(self, st.loaded);
    break;
  case failover_action::respawn_fresh:
    respawn(self, nullptr);
    break;
  case failover_action::fail:
  case failover_action::none:
    break;
  }
}

/// F1, R4: a real failure of instance `x`.
void on_failure(self_ptr self, instance_id x, const caf::error& reason) {
  auto& st = self->state;
  if (st.failure)
    return;
  st.plan->metrics->count_failure();
  auto text = protocol::describe(reason);
  auto& policy = st.plan->restarts;
  // An instance that cannot start (a missing file, a damaged snapshot)
  // would fail the same way again: no restart.
  bool restartable
    = policy.max_restarts > 0 && reason != errc::start_failed
      && (st.plan->checkpoints.enabled() || policy.without_checkpoints);
  auto now = state_type::clock::now();
  if (restartable && st.failover->phase() == failover_phase::running)
    st.recovery.begin(now, st.plan->stages[x.first].node.name, x.second, text);
  auto step = st.failover->on_failure(
    st.regions->of(x.first, x.second),
    restartable ? protocol::failure_kind::restartable
                : protocol::failure_kind::cannot_restart,
    now);
  if (step.action != failover_action::fail) {
    st.plan->log->warning("failure of " + where(*st.plan, x) + ": " + text);
    act(self, step);
    return;
  }
  if (step.failure != protocol::failover_failure::too_many_restarts) {
    fail_job(self, reason);
    return;
  }
  auto secs
    = std::chrono::duration_cast<std::chrono::seconds>(policy.window).count();
  fail_job(self, caf::make_error(errc::too_many_restarts,
                                 where(*st.plan, x) + " failed after "
                                   + std::to_string(policy.max_restarts)
                                   + " restarts within " + std::to_string(secs)
                                   + " s; the last error: " + text));
}

/// An instance ended. Stopped on purpose for a restart, it may have failed
/// on its own before the stop reached it: that counts, though the restart
/// under way already covers it.
void on_down(self_ptr self, instance_id x, const caf::error& reason) {
  auto& st = self->state;
  bool abnormal = reason && reason != caf::exit_reason::user_shutdown;
  if (abnormal) {
    if (st.failover->phase() != failover_phase::running && failing(self, x)) {
      st.plan->metrics->count_failure();
      st.plan->log->warning("failure of " + where(*st.plan, x)
                            + " while stopping for a restart: "
                            + protocol::describe(reason));
    } else {
      on_failure(self, x, reason);
    }
  }
  if (st.failover->phase() == failover_phase::stopping) {
    bool any = false;
    for (auto& [addr, y] : st.live)
      any = any || failing(self, y);
    if (!any)
      act(self, st.failover->on_regions_down(state_type::clock::now()));
  }
}

} // namespace

caf::behavior job_runner(caf::stateful_actor<job_runner_state>* self,
                         std::shared_ptr<const job_plan> plan,
                         std::shared_ptr<job_outcome> outcome) {
  auto& state = self->state;
  state.plan = std::move(plan);
  state.outcome = std::move(outcome);
  state.regions.emplace(state.plan->topology);
  state.failover.emplace(state.regions->count(),
                         state.plan->checkpoints.enabled(),
                         state.plan->restarts, std::random_device{}());
  state.report.job = state.plan->name;
  if (auto& point = state.plan->restored) {
    state.report.restored_from = protocol::to_integer(point->checkpoint.id);
    state.report.restore_notes = point->skipped;
    for (auto& note : point->skipped)
      state.plan->log->warning("restore: " + note);
    state.plan->log->info("resuming from "
                          + protocol::to_string(point->checkpoint.id));
  }
  state.started = state_type::clock::now();
  auto& stages = state.plan->stages;
  state.instances.resize(stages.size());
  for (uint32_t s = 0; s < stages.size(); ++s) {
    state.instances[s].resize(stages[s].node.parallelism);
    for (uint32_t i = 0; i < stages[s].node.parallelism; ++i)
      spawn_instance(self, state.plan, {s, i});
  }
  if (state.plan->checkpoints.enabled()) {
    // The store writes to disk: its own thread keeps that off the
    // scheduler's workers (rule C3).
    state.store = self->spawn<caf::monitored + caf::detached>(
      store_actor, state.plan->name, state.plan->checkpoints.store,
      state.plan->checkpoints.retain, state.plan->checkpoints.store_niceness);
    auto [sources, committers] = split(self);
    // Detached, like the runner: its timers must fire under full load.
    state.coordinator = self->spawn<caf::monitored + caf::detached>(
      coordinator_actor, state.plan, state.store, caf::actor{self}, sources,
      committers);
  }
  if (state.plan->cluster.enabled())
    state.nodes
      = self->spawn(node_watcher, caf::actor{self}, state.plan->name,
                    state.plan->cluster, state.plan->metrics, state.plan->log);
  roster everyone{self, state.coordinator, state.store, state.instances};
  for (auto& stage : state.instances)
    for (auto& a : stage)
      self->send(a, everyone);
  tell_gateways(self);
  self->set_down_handler([self](caf::down_msg& dm) {
    auto& st = self->state;
    if (dm.source == st.coordinator || dm.source == st.store) {
      // They end only when the runner ends them, or when checkpoints
      // cannot go on; a job that cannot checkpoint must not pretend to.
      if (dm.reason && dm.reason != caf::exit_reason::user_shutdown)
        fail_job(self, dm.reason);
      return;
    }
    auto i = st.live.find(dm.source);
    if (i == st.live.end())
      return;
    auto x = i->second;
    st.live.erase(i);
    on_down(self, x, dm.reason);
    maybe_conclude(self);
  });
  return {
    [=](instance_report& r) {
      auto& st = self->state;
      // A restarted instance's report replaces the one before it.
      auto& xs = st.report.instances;
      xs.erase(std::remove_if(xs.begin(), xs.end(),
                              [&](const instance_report& y) {
                                return y.stage == r.stage
                                       && y.instance == r.instance;
                              }),
               xs.end());
      xs.push_back(std::move(r));
    },
    [=](checkpoint_stats& c) {
      self->state.plan->metrics->add_checkpoint(c);
      self->state.report.checkpoints.push_back(std::move(c));
    },
    [=](restart_atom, uint64_t generation) {
      auto& st = self->state;
      if (!st.failure)
        act(self, st.failover->on_backoff_over(generation)); // F4
    },
    [=](resumed_atom, uint32_t, uint32_t) {
      auto& st = self->state;
      auto stats = st.recovery.resumed(state_type::clock::now());
      if (!stats)
        return;
      st.plan->metrics->add_recovery(*stats);
      st.report.recoveries.push_back(*stats);
      auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                  stats->time_to_resume)
                  .count();
      st.plan->log->info(
        "recovered from the failure of stage '" + stats->failed_stage
        + "' instance " + std::to_string(stats->failed_instance)
        + ": restored checkpoint " + std::to_string(stats->restored_checkpoint)
        + ", " + std::to_string(stats->records_replayed) + " records replayed, "
        + std::to_string(stats->bytes_read) + " bytes read, "
        + std::to_string(stats->instances_restarted)
        + " instances restarted, resumed in " + std::to_string(ms) + " ms");
    },
    [=](stop_atom) {
      auto& st = self->state;
      if (st.stop_requested)
        return;
      st.stop_requested = true;
      for (auto& [addr, x] : st.live)
        if (is_source(*st.plan, x.first))
          self->send(st.instances[x.first][x.second], stop_atom::value);
      // J7: the final checkpoint follows the stop, once a checkpoint in
      // flight completed or timed out (J2); if the job has not ended
      // within those two timeouts, it will not end on its own.
      if (st.plan->checkpoints.enabled())
        self->delayed_send(self, 2 * st.plan->checkpoints.timeout,
                           stop_deadline_atom::value);
    },
    [=](stop_deadline_atom) {
      auto& st = self->state;
      auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                  2 * st.plan->checkpoints.timeout)
                  .count();
      fail_job(self, caf::make_error(
                       errc::checkpoint_aborted,
                       "job '" + st.plan->name + "' did not end within "
                         + std::to_string(ms)
                         + " ms (twice the checkpoint timeout) of the stop "
                           "request; it resumes from its last completed "
                           "checkpoint"));
    },
    [=](checkpoint_atom) -> caf::result<uint64_t> {
      auto& st = self->state;
      if (!st.coordinator)
        return caf::make_error(errc::checkpoint_aborted,
                               "job '" + st.plan->name
                                 + "' has no checkpoint store");
      self->delegate(st.coordinator, checkpoint_atom::value);
      return caf::delegated<uint64_t>{};
    },
    [=](wait_atom) {
      auto rp = self->make_response_promise();
      self->state.waiters.push_back(rp);
      return rp;
    },
    [=](report_atom) { return self->state.report; },
  };
}

} // namespace sluice::actors
