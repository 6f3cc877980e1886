#include "actors/job_runner.hpp"

#include "actors/atoms.hpp"
#include "actors/operator_actor.hpp"
#include "actors/roster.hpp"
#include "actors/source_actor.hpp"

#include <caf/all.hpp>

namespace sluice::actors {

namespace {

using self_ptr = caf::stateful_actor<job_runner_state>*;

void conclude(self_ptr self) {
  auto& st = self->state;
  st.report.elapsed = std::chrono::steady_clock::now() - st.started;
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

} // namespace

caf::behavior job_runner(caf::stateful_actor<job_runner_state>* self,
                         std::shared_ptr<const job_plan> plan,
                         std::shared_ptr<job_outcome> outcome) {
  auto& state = self->state;
  state.plan = std::move(plan);
  state.outcome = std::move(outcome);
  state.report.job = state.plan->name;
  state.started = std::chrono::steady_clock::now();
  auto& stages = state.plan->stages;
  state.instances.resize(stages.size());
  for (uint32_t s = 0; s < stages.size(); ++s) {
    for (uint32_t i = 0; i < stages[s].node.parallelism; ++i) {
      caf::actor a;
      if (stages[s].node.role == protocol::stage_role::source)
        a = self->spawn<caf::monitored>(source_actor, state.plan, s, i);
      else
        a = self->spawn<caf::monitored>(operator_actor, state.plan, s, i);
      state.where.emplace(a.address(), std::make_pair(s, i));
      state.instances[s].push_back(std::move(a));
      ++state.alive;
    }
  }
  roster everyone{self, state.instances};
  for (auto& stage : state.instances)
    for (auto& a : stage)
      self->send(a, everyone);
  self->set_down_handler([self](caf::down_msg& dm) {
    auto& st = self->state;
    if (st.where.erase(dm.source) == 0)
      return;
    --st.alive;
    if (dm.reason && !st.failure) {
      st.failure = dm.reason;
      // One failed instance fails the job: stop the others.
      for (auto& stage : st.instances)
        for (auto& a : stage)
          if (st.where.count(a.address()) > 0)
            self->send_exit(a, caf::exit_reason::user_shutdown);
    }
    if (st.alive == 0)
      conclude(self);
  });
  return {
    [=](instance_report& r) {
      self->state.report.instances.push_back(std::move(r));
    },
    [=](stop_atom) {
      auto& st = self->state;
      for (uint32_t s = 0; s < st.instances.size(); ++s)
        if (st.plan->stages[s].node.role == protocol::stage_role::source)
          for (auto& a : st.instances[s])
            self->send(a, stop_atom::value);
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
