#include "actors/instance_base.hpp"

#include "actors/stray_message.hpp"

#include <caf/all.hpp>

namespace sluice::actors {

namespace {

/// The runner hears what the instance did before it hears that it ended:
/// both come from this actor, so CAF keeps them in order.
void send_report(caf::event_based_actor* self, instance_base& st) {
  if (st.runner)
    self->send(st.runner, st.report);
}

} // namespace

void init_instance(caf::event_based_actor* self, instance_base& st,
                   std::shared_ptr<const job_plan> plan, uint32_t stage,
                   uint32_t instance, const instance_counters& counters) {
  st.plan = std::move(plan);
  st.stage = stage;
  st.instance = instance;
  auto& sp = st.plan->stages[stage];
  st.where = st.plan->context(stage, instance).where();
  st.report.stage = sp.node.name;
  st.report.instance = instance;
  st.report.budget = sp.node.budget;
  st.report.records_in = counters.records_in;
  st.report.batches_in = counters.batches_in;
  st.metrics = &st.plan->metrics_of(stage, instance);
  st.affinity = worker_affinity{self->home_system()};
  st.faults = fault_injector{st.plan->faults, st.plan->faults_left,
                             sp.node.name, instance, st.plan->attempt};
  auto* base = &st;
  // A stray message is reported and dropped; it must not end the instance.
  self->set_default_handler(
    [base](caf::scheduled_actor*, caf::message_view& x) {
      return drop_stray(*base->plan->log, base->where, x);
    });
  self->set_exception_handler([self, base](std::exception_ptr&) -> caf::error {
    send_report(self, *base);
    return caf::make_error(errc::operator_failed,
                           base->where + " failed unexpectedly");
  });
  // Stopped by the runner (for a restart, or the job failed): the runner
  // learns what it read before it is gone.
  self->set_exit_handler([self, base](caf::exit_msg& m) {
    send_report(self, *base);
    self->quit(std::move(m.reason));
  });
}

void take_roster(instance_base& st, const roster& r) {
  st.runner = r.runner;
  st.coordinator = r.coordinator;
  st.store = r.store;
}

void fail_instance(caf::event_based_actor* self, instance_base& st, errc code,
                   const std::string& what) {
  send_report(self, st);
  self->quit(caf::make_error(code, st.where + " " + what));
}

bool survive(caf::event_based_actor* self, instance_base& st,
             config::checkpoint_phase phase) {
  if (auto fault = st.faults.at(phase)) {
    fail_instance(self, st, errc::injected_fault, *fault);
    return false;
  }
  return true;
}

void note_saturation(instance_base& st, bool saturated) {
  auto now = std::chrono::steady_clock::now();
  // Counted as it passes, not when a spell ends: an instance in front of
  // a slow consumer may stay saturated for the rest of the job.
  if (st.saturated_since)
    st.metrics->backpressured_ns.fetch_add(
      static_cast<uint64_t>((now - *st.saturated_since).count()),
      std::memory_order_relaxed);
  if (saturated)
    st.saturated_since = now;
  else
    st.saturated_since.reset();
  // Last, so that a reader that sees it sees the figures published before.
  st.metrics->saturated.store(saturated, std::memory_order_release);
}

void end_instance(caf::event_based_actor* self, instance_base& st) {
  st.metrics->finished = true;
  send_report(self, st);
  self->quit();
}

} // namespace sluice::actors
