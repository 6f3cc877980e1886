#include "actors/job_runner.hpp"

#include "actors/atoms.hpp"
#include "actors/coordinator_actor.hpp"
#include "actors/errc.hpp"
#include "actors/node_watcher.hpp"
#include "actors/operator_actor.hpp"
#include "actors/roster.hpp"
#include "actors/source_actor.hpp"
#include "actors/store_actor.hpp"
#include "protocol/describe.hpp"
#include "state/errc.hpp"

#include <caf/all.hpp>

#include <algorithm>
#include <cmath>

namespace sluice::actors {

namespace {

using self_ptr = caf::stateful_actor<job_runner_state>*;
using state_type = job_runner_state;
using instance_id = state_type::instance_id;

bool is_source(const job_plan& plan, uint32_t stage) {
  return plan.stages[stage].node.role == protocol::stage_role::source;
}

std::string where(const job_plan& plan, instance_id x) {
  return "stage '" + plan.stages[x.first].node.name + "' instance "
         + std::to_string(x.second) + "/"
         + std::to_string(plan.stages[x.first].node.parallelism);
}

/// Every instance of the failed regions.
std::vector<instance_id> failed_instances(self_ptr self) {
  auto& st = self->state;
  std::vector<instance_id> result;
  for (uint32_t s = 0; s < st.instances.size(); ++s)
    for (uint32_t i = 0; i < st.instances[s].size(); ++i)
      if (st.failed_regions.count(st.regions->of(s, i)) > 0)
        result.emplace_back(s, i);
  return result;
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
  if (st.live.empty() && (st.failure || st.now == state_type::phase::running))
    conclude(self);
}

/// The job fails for good: every instance stops.
void fail_job(self_ptr self, const caf::error& reason) {
  auto& st = self->state;
  if (st.failure)
    return;
  st.failure = reason;
  for (auto& [addr, id] : st.live)
    self->send_exit(st.instances[id.first][id.second],
                    caf::exit_reason::user_shutdown);
  maybe_conclude(self);
}

caf::actor spawn_instance(self_ptr self,
                          const std::shared_ptr<const job_plan>& plan,
                          instance_id x) {
  auto& st = self->state;
  auto a
    = is_source(*plan, x.first)
        ? self->spawn<caf::monitored>(source_actor, plan, x.first, x.second)
        : self->spawn<caf::monitored>(operator_actor, plan, x.first, x.second);
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

/// R3: the failed regions come back with the state of `point` (fresh
/// without one), the sources at its offsets.
void respawn(self_ptr self, restore_handle point) {
  auto& st = self->state;
  auto next = std::make_shared<job_plan>(*st.plan);
  next->restored = point;
  next->attempt = st.plan->attempt + 1;
  st.plan = next;
  auto ids = failed_instances(self);
  std::vector<caf::actor> fresh;
  uint64_t restored_records = 0;
  bool has_operator = false;
  for (auto& x : ids) {
    fresh.push_back(spawn_instance(self, st.plan, x));
    if (is_source(*st.plan, x.first)) {
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
    self->send(st.coordinator, restart_atom::value, std::move(sources),
               std::move(committers));
  }
  if (st.stop_requested)
    for (auto& x : ids)
      if (is_source(*st.plan, x.first))
        self->send(st.instances[x.first][x.second], stop_atom::value);
  st.recovery.restored_checkpoint
    = point ? protocol::to_integer(point->checkpoint.id) : 0;
  st.recovery.bytes_read = point ? point->bytes : 0;
  st.recovery.instances_restarted = static_cast<uint32_t>(ids.size());
  st.recovery.records_replayed = st.read_before_failure > restored_records
                                   ? st.read_before_failure - restored_records
                                   : 0;
  st.failed_regions.clear();
  st.now = state_type::phase::running;
  st.awaiting_resume = true;
  if (!has_operator) // nothing downstream to report a first record
    self->send(self, resumed_atom::value, ids.front().first,
               ids.front().second);
}

void stop_failed_regions(self_ptr self);

void restore_and_respawn(self_ptr self, uint64_t generation) {
  auto& st = self->state;
  if (generation != st.generation || st.failure)
    return;
  st.now = state_type::phase::restoring;
  if (!st.store) {
    respawn(self, nullptr);
    return;
  }
  self->request(st.store, caf::infinite, load_atom::value)
    .then(
      [self, generation](restore_handle point) {
        auto& runner = self->state;
        if (generation != runner.generation || runner.failure)
          return;
        for (auto& note : point->skipped)
          runner.plan->log->warning("restore: " + note);
        // The latest checkpoint cannot be restored: the regions still
        // running are ahead of the one restored, so they go back too.
        if (!point->skipped.empty()
            && runner.failed_regions.size() < runner.regions->count()) {
          for (uint32_t r = 0; r < runner.regions->count(); ++r)
            runner.failed_regions.insert(r);
          ++runner.generation;
          runner.now = state_type::phase::stopping;
          stop_failed_regions(self);
          return;
        }
        respawn(self, std::move(point));
      },
      [self, generation](caf::error& err) {
        if (generation != self->state.generation || self->state.failure)
          return;
        // Nothing completed yet: from the start. But once checkpoints
        // completed, sinks published their epochs; starting over would
        // publish them again.
        auto& runner = self->state;
        if (err == state::errc::no_checkpoint
            && runner.report.completed_checkpoints() == 0
            && !runner.plan->restored)
          respawn(self, nullptr);
        else
          fail_job(self, err);
      });
}

/// R2: waits before the restart, longer with each recent restart.
void back_off(self_ptr self) {
  auto& st = self->state;
  st.now = state_type::phase::backing_off;
  // What the failed regions' sources had read, replayed after the restart
  // unless the checkpoint covers it. Counted now that every one of them is
  // down: a source asked to stop reads on until the request reaches it.
  st.read_before_failure = 0;
  for (auto& x : failed_instances(self))
    if (is_source(*st.plan, x.first))
      st.read_before_failure
        += st.plan->metrics_of(x.first, x.second).records_in.load();
  auto& policy = st.plan->restarts;
  auto recent = st.restarts.size();
  auto delay = std::min(static_cast<double>(policy.max_backoff.count()),
                        static_cast<double>(policy.initial_backoff.count())
                          * std::pow(2.0, static_cast<double>(recent)));
  std::uniform_real_distribution<double> spread{-policy.jitter, policy.jitter};
  delay *= 1.0 + spread(st.jitter);
  st.restarts.push_back(state_type::clock::now());
  self->delayed_send(self,
                     std::chrono::nanoseconds{static_cast<int64_t>(delay)},
                     restart_atom::value, st.generation);
}

/// Stops the instances of the failed regions; the restart waits for them.
void stop_failed_regions(self_ptr self) {
  auto& st = self->state;
  for (auto& x : failed_instances(self)) {
    auto& a = st.instances[x.first][x.second];
    if (a && st.live.count(a.address()) > 0
        && st.awaiting_down.insert(x).second)
      self->send_exit(a, caf::exit_reason::user_shutdown);
  }
  if (st.awaiting_down.empty())
    back_off(self);
}

/// R1, R4: a real failure of instance `x`.
void on_failure(self_ptr self, instance_id x, const caf::error& reason) {
  auto& st = self->state;
  if (st.failure)
    return;
  st.plan->metrics->count_failure();
  auto& policy = st.plan->restarts;
  auto text = protocol::describe(reason);
  // An instance that cannot start (a missing file, a damaged snapshot)
  // would fail the same way again: no restart.
  bool restartable
    = policy.max_restarts > 0 && reason != errc::start_failed
      && (st.plan->checkpoints.enabled() || policy.without_checkpoints);
  if (!restartable) {
    fail_job(self, reason);
    return;
  }
  auto now = state_type::clock::now();
  while (!st.restarts.empty() && now - st.restarts.front() > policy.window)
    st.restarts.pop_front();
  if (st.restarts.size() >= policy.max_restarts) {
    auto secs
      = std::chrono::duration_cast<std::chrono::seconds>(policy.window).count();
    fail_job(self,
             caf::make_error(errc::too_many_restarts,
                             where(*st.plan, x) + " failed after "
                               + std::to_string(st.restarts.size())
                               + " restarts within " + std::to_string(secs)
                               + " s; the last error: " + text));
    return;
  }
  st.plan->log->warning("failure of " + where(*st.plan, x) + ": " + text);
  auto region = st.regions->of(x.first, x.second);
  if (st.now != state_type::phase::running) {
    // Another failure during a failover: its region restarts too.
    if (st.failed_regions.insert(region).second) {
      ++st.generation;
      st.now = state_type::phase::stopping;
      stop_failed_regions(self);
    }
    return;
  }
  st.failure_seen = now;
  st.recovery = recovery_stats{};
  st.recovery.failed_stage = st.plan->stages[x.first].node.name;
  st.recovery.failed_instance = x.second;
  st.recovery.reason = text;
  st.failed_regions = {region};
  st.now = state_type::phase::stopping;
  ++st.generation;
  if (!st.coordinator) {
    stop_failed_regions(self);
    return;
  }
  std::vector<instance_id> sources;
  for (auto& y : failed_instances(self))
    if (is_source(*st.plan, y.first))
      sources.push_back(y);
  auto generation = st.generation;
  self->request(st.coordinator, caf::infinite, failover_atom::value, sources)
    .then(
      [self, generation](bool final_in_flight) {
        auto& runner = self->state;
        if (generation != runner.generation || runner.failure)
          return;
        // The final checkpoint spans all regions, and some sources may
        // already have ended: the whole job goes back.
        if (final_in_flight)
          for (uint32_t r = 0; r < runner.regions->count(); ++r)
            runner.failed_regions.insert(static_cast<uint32_t>(r));
        stop_failed_regions(self);
      },
      [self](caf::error& err) { fail_job(self, err); });
}

} // namespace

caf::behavior job_runner(caf::stateful_actor<job_runner_state>* self,
                         std::shared_ptr<const job_plan> plan,
                         std::shared_ptr<job_outcome> outcome) {
  auto& state = self->state;
  state.plan = std::move(plan);
  state.outcome = std::move(outcome);
  state.regions.emplace(state.plan->topology);
  state.jitter.seed(std::random_device{}());
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
      store_actor, state.plan->checkpoints.store,
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
    if (st.awaiting_down.erase(x) > 0) {
      // Stopped on purpose for a restart. It may have failed on its own
      // before the stop reached it: that failure counts, though the restart
      // under way already covers it.
      if (dm.reason && dm.reason != caf::exit_reason::user_shutdown) {
        st.plan->metrics->count_failure();
        st.plan->log->warning("failure of " + where(*st.plan, x)
                              + " while stopping for a restart: "
                              + protocol::describe(dm.reason));
      }
      if (st.awaiting_down.empty() && st.now == state_type::phase::stopping)
        back_off(self);
    } else if (dm.reason && dm.reason != caf::exit_reason::user_shutdown) {
      on_failure(self, x, dm.reason);
    }
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
      restore_and_respawn(self, generation);
    },
    [=](resumed_atom, uint32_t, uint32_t) {
      auto& st = self->state;
      if (!st.awaiting_resume)
        return;
      st.awaiting_resume = false;
      st.recovery.time_to_resume = state_type::clock::now() - st.failure_seen;
      st.plan->metrics->add_recovery(st.recovery);
      st.report.recoveries.push_back(st.recovery);
      auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                  st.recovery.time_to_resume)
                  .count();
      st.plan->log->info(
        "recovered from the failure of stage '" + st.recovery.failed_stage
        + "' instance " + std::to_string(st.recovery.failed_instance)
        + ": restored checkpoint "
        + std::to_string(st.recovery.restored_checkpoint) + ", "
        + std::to_string(st.recovery.records_replayed) + " records replayed, "
        + std::to_string(st.recovery.bytes_read) + " bytes read, "
        + std::to_string(st.recovery.instances_restarted)
        + " instances restarted, resumed in " + std::to_string(ms) + " ms");
    },
    [=](stop_atom) {
      auto& st = self->state;
      st.stop_requested = true;
      for (auto& [addr, x] : st.live)
        if (is_source(*st.plan, x.first))
          self->send(st.instances[x.first][x.second], stop_atom::value);
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
