#include "actors/operator_actor.hpp"

#include "actors/atoms.hpp"
#include "actors/errc.hpp"
#include "actors/roster.hpp"
#include "operators/record_failure.hpp"

#include <caf/all.hpp>

#include <algorithm>

namespace sluice::actors {

namespace {

using self_ptr = caf::stateful_actor<operator_state>*;

void fail(self_ptr self, errc code, const std::string& what) {
  self->quit(caf::make_error(code, self->state.where + " " + what));
}

/// Runs the logic on one batch. False when the instance failed.
bool process(self_ptr self, protocol::batch& b) {
  auto& st = self->state;
  auto n = b.records.size();
  try {
    st.logic->process(b.input, std::move(b.records));
  } catch (const operators::record_failure& e) {
    fail(self, errc::operator_failed,
         "failed on record " + e.record() + ": " + e.what());
    return false;
  } catch (const std::exception& e) {
    fail(self, errc::operator_failed, std::string{"failed: "} + e.what());
    return false;
  }
  st.ledger.on_consumed(b.input, n);
  if (st.out != nullptr)
    st.out->flush(protocol::flush_mode::full_batches, st.link);
  return true;
}

bool saturated(self_ptr self) {
  return self->state.out != nullptr && self->state.out->saturated();
}

/// Processes set-aside batches while the outputs have room.
bool drain(self_ptr self) {
  auto& st = self->state;
  while (!st.set_aside.empty() && !saturated(self)) {
    auto b = std::move(st.set_aside.front());
    st.set_aside.pop_front();
    if (!process(self, b))
      return false;
  }
  return true;
}

/// Ends the instance once all inputs ended and everything left (rule D5).
void try_finish(self_ptr self) {
  auto& st = self->state;
  if (st.ledger.open_inputs() > 0 || !st.set_aside.empty())
    return;
  if (!st.finished) {
    st.finished = true;
    try {
      st.logic->finish();
    } catch (const std::exception& e) {
      fail(self, errc::operator_failed,
           std::string{"failed to finish: "} + e.what());
      return;
    }
    if (st.out != nullptr)
      st.out->flush(protocol::flush_mode::everything, st.link);
  }
  if (st.out != nullptr && st.out->buffered() > 0)
    return; // waits for credit
  st.link.end_all();
  if (st.out != nullptr)
    st.report.records_out = st.out->shipped();
  self->send(st.runner, st.report);
  self->quit();
}

/// After every message: grant credit (rule D2), note the backlog, keep the
/// linger running, and end the instance when its work is done.
void settle(self_ptr self) {
  auto& st = self->state;
  st.grants.clear();
  st.ledger.collect_grants(st.grants);
  for (auto& g : st.grants)
    self->send<caf::message_priority::high>(
      st.producers[g.input],
      protocol::demand{st.producer_outputs[g.input], g.credit});
  auto messages = static_cast<uint64_t>(self->mailbox().size());
  auto mean_batch = st.report.batches_in > 0
                      ? st.report.records_in / st.report.batches_in
                      : 0;
  auto waiting = st.ledger.held()
                 + std::min(messages * mean_batch, st.ledger.outstanding());
  st.report.max_waiting_records = std::max(st.report.max_waiting_records,
                                           waiting);
  st.report.max_mailbox = std::max(st.report.max_mailbox, messages);
  if (st.finished && st.out != nullptr)
    st.out->flush(protocol::flush_mode::everything, st.link);
  try_finish(self);
  st.link.arm_linger();
}

caf::behavior running(self_ptr self) {
  return {
    [=](protocol::batch& b) {
      auto& st = self->state;
      auto n = b.records.size();
      if (b.input >= st.producers.size()) {
        fail(self, errc::protocol_violation,
             "got a batch on unknown input " + std::to_string(b.input));
        return;
      }
      if (!st.ledger.on_arrival(b.input, n)) {
        fail(self, errc::protocol_violation,
             "got " + std::to_string(n) + " records on input "
               + std::to_string(b.input) + " beyond the credit granted");
        return;
      }
      st.report.records_in += n;
      ++st.report.batches_in;
      if (saturated(self) || !st.set_aside.empty())
        st.set_aside.push_back(std::move(b));
      else if (!process(self, b))
        return;
      if (drain(self))
        settle(self);
    },
    [=](const protocol::demand& d) {
      auto& st = self->state;
      if (st.out == nullptr || d.output >= st.out->num_outputs()) {
        fail(self, errc::protocol_violation,
             "got credit for unknown output " + std::to_string(d.output));
        return;
      }
      st.out->grant(d.output, d.credit);
      st.out->flush(protocol::flush_mode::full_batches, st.link);
      if (drain(self))
        settle(self);
    },
    [=](const protocol::end_of_stream& e) {
      auto& st = self->state;
      if (e.input >= st.producers.size()) {
        fail(self, errc::protocol_violation,
             "got end of stream on unknown input " + std::to_string(e.input));
        return;
      }
      st.ledger.close(e.input);
      settle(self);
    },
    [=](flush_atom) {
      self->state.link.on_linger();
      settle(self);
    },
  };
}

} // namespace

caf::behavior operator_actor(caf::stateful_actor<operator_state>* self,
                             std::shared_ptr<const job_plan> plan,
                             uint32_t stage, uint32_t instance) {
  auto& state = self->state;
  state.plan = std::move(plan);
  state.stage = stage;
  state.instance = instance;
  auto ctx = state.plan->context(stage, instance);
  state.where = ctx.where();
  auto& sp = state.plan->stages[stage];
  state.report.stage = sp.node.name;
  state.report.instance = instance;
  state.report.budget = sp.node.budget;
  try {
    state.logic = sp.factory->make_operator(ctx, state.plan->out_edges(stage));
  } catch (const std::exception& e) {
    fail(self, errc::start_failed, std::string{"could not start: "} + e.what());
    return {};
  }
  state.out = state.logic->output();
  // A stray message is reported and dropped; it must not end the instance.
  self->set_default_handler(caf::print_and_drop);
  self->set_exception_handler([self](std::exception_ptr&) -> caf::error {
    return caf::make_error(errc::operator_failed,
                           self->state.where + " failed unexpectedly");
  });
  return {
    [=](roster& r) {
      auto& st = self->state;
      auto& channels = st.plan->topology.instances[st.stage][st.instance];
      st.runner = r.runner;
      for (auto& in : channels.inputs) {
        st.producers.push_back(r.instances.at(in.stage).at(in.instance));
        st.producer_outputs.push_back(in.slot);
      }
      st.ledger = protocol::credit_ledger{
        st.plan->stages[st.stage].node.budget, channels.inputs.size()};
      st.link.bind(self, st.out, channels.outputs, r.instances,
                   st.plan->stages[st.stage].linger);
      self->become(running(self));
      for (auto& d : st.early_demand)
        st.out->grant(d.output, d.credit);
      st.early_demand.clear();
      settle(self); // opens the input channels with their first credit
    },
    [=](const protocol::demand& d) { self->state.early_demand.push_back(d); },
  };
}

} // namespace sluice::actors
