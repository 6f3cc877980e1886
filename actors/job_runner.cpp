#include "actors/job_runner.hpp"

#include "actors/atoms.hpp"
#include "actors/coordinator_actor.hpp"
#include "actors/errc.hpp"
#include "actors/operator_actor.hpp"
#include "actors/roster.hpp"
#include "actors/source_actor.hpp"
#include "actors/store_actor.hpp"
#include "protocol/describe.hpp"

#include <caf/all.hpp>

namespace sluice::actors {

namespace {

using self_ptr = caf::stateful_actor<job_runner_state>*;

bool is_source(self_ptr self, uint32_t stage) {
  return self->state.plan->stages[stage].node.role
         == protocol::stage_role::source;
}

void conclude(self_ptr self) {
  auto& st = self->state;
  st.report.elapsed = std::chrono::steady_clock::now() - st.started;
  for (auto& helper : {st.coordinator, st.store})
    if (helper)
      self->send_exit(helper, caf::exit_reason::user_shutdown);
  if (st.failure)
    st.plan->log->error("job failed: " + protocol::describe(st.failure));
  else
    st.plan->log->info("job finished: "
                       + std::to_string(st.report.completed_checkpoints())
                       + " checkpoints completed");
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

/// One failure fails the job: the others stop.
void fail_job(self_ptr self, const caf::error& reason) {
  auto& st = self->state;
  if (st.failure)
    return;
  st.failure = reason;
  for (auto& stage : st.instances)
    for (auto& a : stage)
      if (st.where.count(a.address()) > 0)
        self->send_exit(a, caf::exit_reason::user_shutdown);
}

} // namespace

caf::behavior job_runner(caf::stateful_actor<job_runner_state>* self,
                         std::shared_ptr<const job_plan> plan,
                         std::shared_ptr<job_outcome> outcome) {
  auto& state = self->state;
  state.plan = std::move(plan);
  state.outcome = std::move(outcome);
  state.report.job = state.plan->name;
  if (auto& point = state.plan->restored) {
    state.report.restored_from = protocol::to_integer(point->checkpoint.id);
    state.report.restore_notes = point->skipped;
    for (auto& note : point->skipped)
      state.plan->log->warning("restore: " + note);
    state.plan->log->info("resuming from "
                          + protocol::to_string(point->checkpoint.id));
  }
  state.started = std::chrono::steady_clock::now();
  auto& stages = state.plan->stages;
  state.instances.resize(stages.size());
  std::vector<caf::actor> sources;
  std::vector<caf::actor> committers;
  for (uint32_t s = 0; s < stages.size(); ++s) {
    for (uint32_t i = 0; i < stages[s].node.parallelism; ++i) {
      caf::actor a;
      if (is_source(self, s)) {
        a = self->spawn<caf::monitored>(source_actor, state.plan, s, i);
        sources.push_back(a);
      } else {
        a = self->spawn<caf::monitored>(operator_actor, state.plan, s, i);
        committers.push_back(a);
      }
      state.where.emplace(a.address(), std::make_pair(s, i));
      state.instances[s].push_back(std::move(a));
      ++state.alive;
    }
  }
  if (state.plan->checkpoints.enabled()) {
    // The store writes to disk: its own thread keeps that off the
    // scheduler's workers (rule C3).
    state.store = self->spawn<caf::monitored + caf::detached>(
      store_actor, state.plan->checkpoints.store,
      state.plan->checkpoints.retain);
    state.coordinator = self->spawn<caf::monitored>(
      coordinator_actor, state.plan, state.store, caf::actor{self}, sources,
      committers);
  }
  roster everyone{self, state.coordinator, state.store, state.instances};
  for (auto& stage : state.instances)
    for (auto& a : stage)
      self->send(a, everyone);
  self->set_down_handler([self](caf::down_msg& dm) {
    auto& st = self->state;
    if (dm.source == st.coordinator || dm.source == st.store) {
      // They end only when the runner ends them, or when checkpoints
      // cannot go on; a job that cannot checkpoint must not pretend to.
      if (dm.reason && dm.reason != caf::exit_reason::user_shutdown)
        fail_job(self, dm.reason);
      return;
    }
    if (st.where.erase(dm.source) == 0)
      return;
    --st.alive;
    if (dm.reason)
      fail_job(self, dm.reason);
    if (st.alive == 0)
      conclude(self);
  });
  return {
    [=](instance_report& r) {
      self->state.report.instances.push_back(std::move(r));
    },
    [=](checkpoint_stats& c) {
      self->state.plan->metrics->add_checkpoint(c);
      self->state.report.checkpoints.push_back(std::move(c));
    },
    [=](stop_atom) {
      auto& st = self->state;
      for (uint32_t s = 0; s < st.instances.size(); ++s)
        if (is_source(self, s))
          for (auto& a : st.instances[s])
            self->send(a, stop_atom::value);
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
