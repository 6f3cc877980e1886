#include "actors/operator_actor.hpp"

#include "actors/atoms.hpp"
#include "actors/snapshot_taken.hpp"
#include "protocol/describe.hpp"

#include <caf/all.hpp>

#include <algorithm>

namespace sluice::actors {

namespace {

using self_ptr = caf::stateful_actor<operator_state>*;
using protocol::input_event;

void fail(self_ptr self, errc code, const std::string& what) {
  fail_instance(self, self->state, code, what);
}

bool saturated(self_ptr self) {
  auto& st = self->state;
  return (st.out != nullptr && st.out->saturated())
         || (st.egress != nullptr && st.egress->saturated());
}

/// Whether `e` must wait: its input is aligned and held back (A1), or it is
/// a batch and the outputs are full (D4).
bool must_wait(self_ptr self, const input_event& e) {
  return self->state.aligner.blocked(protocol::input_of(e))
         || (std::holds_alternative<protocol::batch>(e) && saturated(self));
}

/// Runs the logic on one batch. False when the instance failed.
bool process(self_ptr self, protocol::batch& b) {
  auto& st = self->state;
  auto n = b.records.size();
  if (!guarded(self, st, "failed",
               [&] { st.logic->process(b.input, std::move(b.records)); }))
    return false;
  st.ledger.on_consumed(b.input, n);
  if (st.out != nullptr)
    st.out->flush(protocol::flush_mode::full_batches, st.link);
  if (!st.resume_reported) {
    st.resume_reported = true;
    self->send(st.runner, resumed_atom::value, st.stage, st.instance);
  }
  if (auto fault = st.faults.after_batch(n)) {
    fail(self, errc::injected_fault, *fault);
    return false;
  }
  return true;
}

void unblock_all(self_ptr self) {
  auto& st = self->state;
  for (uint32_t i = 0; i < st.producers.size(); ++i)
    st.ledger.block(i, false);
}

/// The logic's `finish`, once (O1, O2). False when the instance failed.
bool finish_logic(self_ptr self) {
  auto& st = self->state;
  if (!guarded(self, st, "failed to finish", [&] { st.logic->finish(); }))
    return false;
  if (st.out != nullptr)
    st.out->flush(protocol::flush_mode::everything, st.link);
  return true;
}

/// Copies the state for checkpoint `id`, hands the copy to the store,
/// forwards the barrier and opens all inputs again (A1, C3, C4).
bool take_snapshot(self_ptr self, protocol::checkpoint_id id,
                   protocol::snapshot_kind kind, bool final) {
  auto& st = self->state;
  if (!survive(self, st, config::checkpoint_phase::before_snapshot))
    return false;
  // O1, C7: only the end of the stream follows the final barrier. What the
  // logic emits when its input ends (a last window, say) must be part of
  // the final epoch, ahead of the barrier, or no checkpoint covers it.
  if (final && st.life->on_final_aligned() && !finish_logic(self))
    return false;
  auto image = std::make_shared<state::instance_image>();
  image->kind = kind;
  if (!guarded(self, st, "failed to snapshot " + protocol::to_string(id), [&] {
        // Pre-commit first: what a sink stages may be part of its
        // state.
        image->sink_transaction = st.logic->pre_commit(id);
        st.logic->states().take_images(kind, *image);
      }))
    return false;
  self->send(st.store,
             snapshot_taken{id, st.stage, st.plan->stages[st.stage].node.name,
                            st.instance, std::move(image), st.coordinator});
  if (st.out != nullptr)
    st.out->emit_barrier(protocol::barrier_mark{id, kind, final, 0}, st.link);
  st.aligner.snapshot_taken();
  unblock_all(self);
  st.life->on_snapshot(id);
  auto aligned = st.aligning_since
                   ? std::chrono::steady_clock::now() - *st.aligning_since
                   : std::chrono::nanoseconds{0};
  st.aligning_since.reset();
  auto ns = static_cast<uint64_t>(aligned.count());
  st.metrics->last_alignment_ns.store(ns, std::memory_order_relaxed);
  st.metrics->alignment_ns.fetch_add(ns, std::memory_order_relaxed);
  st.metrics->snapshots.fetch_add(1, std::memory_order_relaxed);
  return survive(self, st, config::checkpoint_phase::after_snapshot);
}

bool on_barrier(self_ptr self, const protocol::barrier& b) {
  auto& st = self->state;
  if (!st.aligner.pending() || *st.aligner.pending() < b.id)
    st.aligning_since = std::chrono::steady_clock::now();
  switch (st.aligner.on_barrier(b.id, b.input)) {
  case protocol::align_result::ignore_stale:
    return true;
  case protocol::align_result::snapshot:
    return take_snapshot(self, b.id, b.kind, b.final);
  case protocol::align_result::abort_pending:
    // A2: the older checkpoint is gone; inputs it held are open again.
    unblock_all(self);
    st.pending_kind = b.kind;
    st.pending_final = b.final;
    if (st.aligner.ready())
      return take_snapshot(self, b.id, b.kind, b.final);
    break;
  case protocol::align_result::wait:
    st.pending_kind = b.kind;
    st.pending_final = b.final;
    break;
  }
  st.ledger.block(b.input, st.aligner.blocked(b.input));
  return true;
}

bool on_end_of_stream(self_ptr self, const protocol::end_of_stream& e) {
  auto& st = self->state;
  st.ledger.close(e.input);
  // A4: an ended input counts as aligned; it may complete the alignment.
  if (st.aligner.on_input_closed(e.input) == protocol::align_result::snapshot)
    return take_snapshot(self, *st.aligner.pending(), st.pending_kind,
                         st.pending_final);
  return true;
}

/// D9: a sink records the marker's age; others pass it on, one channel.
void on_latency_marker(self_ptr self, const protocol::latency_marker& m) {
  auto& st = self->state;
  if (st.out != nullptr) {
    st.out->emit_latency_marker(m.origin_ns, st.link);
    return;
  }
  auto now = std::chrono::system_clock::now().time_since_epoch();
  st.plan->metrics->latency().record(
    std::chrono::duration_cast<std::chrono::nanoseconds>(now)
    - std::chrono::nanoseconds{m.origin_ns});
}

bool handle(self_ptr self, input_event& e) {
  if (auto b = std::get_if<protocol::batch>(&e))
    return process(self, *b);
  if (auto b = std::get_if<protocol::barrier>(&e))
    return on_barrier(self, *b);
  if (auto m = std::get_if<protocol::latency_marker>(&e)) {
    on_latency_marker(self, *m);
    return true;
  }
  return on_end_of_stream(self, std::get<protocol::end_of_stream>(e));
}

/// H2, H3: handles held-back events whose input may go on, in arrival order
/// per input, until none can. False when the instance failed.
bool drain(self_ptr self) {
  auto& st = self->state;
  input_event e;
  auto may_go = [self](const input_event& x) { return !must_wait(self, x); };
  while (st.held.take_next(may_go, e))
    if (!handle(self, e))
      return false;
  return true;
}

/// H1: an event arrived: handle it now, or hold it back behind its input's
/// earlier events or the reason they wait.
bool accept(self_ptr self, input_event&& e) {
  auto& st = self->state;
  if (st.held.holds(protocol::input_of(e)) || must_wait(self, e)) {
    st.held.hold(std::move(e));
    return true;
  }
  return handle(self, e) && drain(self);
}

/// Counts the records the logic dropped on purpose and logs why for the
/// first few (`skip_tally::logged`), so that skipping leaves a trace.
void report_skips(operator_state& st, operators::skip_tally& skips) {
  st.report.records_skipped = skips.count();
  st.metrics->records_skipped.store(skips.count(), std::memory_order_relaxed);
  for (auto& reason : skips.take_unreported())
    st.plan->log->warning(st.where + " skipped a record: " + reason);
  if (skips.count() > operators::skip_tally::logged && !st.skips_beyond_log) {
    st.skips_beyond_log = true;
    st.plan->log->warning(st.where
                          + " skips more records; they are only counted "
                            "(sluice_records_skipped_total)");
  }
}

/// Refreshes the live figures (once per message, never per record).
void publish_metrics(self_ptr self, uint64_t messages, uint64_t waiting) {
  auto& st = self->state;
  auto& m = *st.metrics;
  constexpr auto relaxed = std::memory_order_relaxed;
  m.records_in.store(st.report.records_in, relaxed);
  m.batches_in.store(st.report.batches_in, relaxed);
  m.mailbox.store(messages, relaxed);
  m.waiting.store(waiting, relaxed);
  m.credit_granted.store(st.ledger.outstanding(), relaxed);
  if (st.out != nullptr) {
    m.records_out.store(st.out->shipped(), relaxed);
    m.credit_held.store(st.out->credit(), relaxed);
  }
  if (auto* skips = st.logic != nullptr ? st.logic->skips() : nullptr)
    report_skips(st, *skips);
  note_saturation(st, saturated(self));
}

/// O2, O3: once every input ended and nothing is held back, the logic
/// finishes (unless the final barrier made it finish already); the
/// instance ends once its outputs drained, its logic handed everything
/// over and, for a sink, its last snapshot committed.
void try_finish(self_ptr self) {
  auto& st = self->state;
  if (st.ledger.open_inputs() > 0 || !st.held.empty())
    return;
  if (st.life->on_inputs_ended() && !finish_logic(self))
    return;
  bool drained = st.out == nullptr || st.out->buffered() == 0;
  if (!st.life->may_end(true, drained, st.logic->drained()))
    return;
  if (!guarded(self, st, "failed to close", [&] { st.logic->close(); }))
    return;
  st.link.end_all();
  if (st.out != nullptr)
    st.report.records_out = st.out->shipped();
  publish_metrics(self, 0, 0);
  end_instance(self, st);
}

/// After every message: grant credit (rule D2), note the backlog, keep the
/// linger running, and end the instance when its work is done.
void settle(self_ptr self) {
  auto& st = self->state;
  st.grants.clear();
  st.ledger.collect_grants(st.grants);
  for (auto& g : st.grants)
    st.affinity.send<caf::message_priority::high>(
      self, st.producers[g.input], st.producer_homes[g.input],
      protocol::demand{st.producer_outputs[g.input], g.credit,
                       st.affinity.current()});
  auto messages = static_cast<uint64_t>(self->mailbox().size());
  auto mean_batch = st.report.batches_in > 0
                      ? st.report.records_in / st.report.batches_in
                      : 0;
  auto waiting = st.ledger.held()
                 + std::min(messages * mean_batch, st.ledger.outstanding());
  st.report.max_waiting_records
    = std::max(st.report.max_waiting_records, waiting);
  st.report.max_mailbox = std::max(st.report.max_mailbox, messages);
  publish_metrics(self, messages, waiting);
  if (st.life->phase() == protocol::operator_phase::finished
      && st.out != nullptr)
    st.out->flush(protocol::flush_mode::everything, st.link);
  try_finish(self);
  st.link.arm_linger();
}

bool known_input(self_ptr self, uint32_t input, const char* what) {
  if (input < self->state.producers.size())
    return true;
  fail(self, errc::protocol_violation,
       std::string{"got "} + what + " on unknown input "
         + std::to_string(input));
  return false;
}

caf::behavior running(self_ptr self) {
  return {
    [=](protocol::batch& b) {
      auto& st = self->state;
      st.affinity.note(self);
      if (!known_input(self, b.input, "a batch"))
        return;
      st.producer_homes.learn(b.input, b.worker);
      auto n = b.records.size();
      if (!st.ledger.on_arrival(b.input, n)) {
        fail(self, errc::protocol_violation,
             "got " + std::to_string(n) + " records on input "
               + std::to_string(b.input) + " beyond the credit granted");
        return;
      }
      st.report.records_in += n;
      ++st.report.batches_in;
      if (accept(self, std::move(b)))
        settle(self);
    },
    [=](protocol::barrier& b) {
      if (known_input(self, b.input, "a barrier") && accept(self, std::move(b)))
        settle(self);
    },
    [=](protocol::latency_marker& m) {
      if (known_input(self, m.input, "a latency marker")
          && accept(self, std::move(m)))
        settle(self);
    },
    [=](protocol::end_of_stream& e) {
      if (known_input(self, e.input, "end of stream")
          && accept(self, std::move(e)))
        settle(self);
    },
    [=](const protocol::demand& d) {
      auto& st = self->state;
      st.affinity.note(self);
      if (st.out == nullptr || d.output >= st.out->num_outputs()) {
        fail(self, errc::protocol_violation,
             "got credit for unknown output " + std::to_string(d.output));
        return;
      }
      st.link.learn_home(d.output, d.worker);
      st.out->grant(d.output, d.credit);
      st.out->flush(protocol::flush_mode::full_batches, st.link);
      if (drain(self))
        settle(self);
    },
    [=](const protocol::checkpoint_committed& c) {
      auto& st = self->state;
      if (!survive(self, st, config::checkpoint_phase::before_commit))
        return;
      if (!guarded(self, st, "failed to commit " + protocol::to_string(c.id),
                   [&] { st.logic->commit(c.id); }))
        return;
      st.life->on_committed(c.id);
      if (!survive(self, st, config::checkpoint_phase::after_commit))
        return;
      settle(self);
    },
    [=](flush_atom) {
      self->state.link.on_linger();
      settle(self);
    },
    [=](const protocol::egress_demand& d) {
      auto& st = self->state;
      if (st.egress == nullptr)
        return;
      st.egress->on_demand(d.credit);
      if (drain(self))
        settle(self);
    },
    [=](timer_atom) {
      auto& st = self->state;
      if (st.life->phase() != protocol::operator_phase::running)
        return;
      if (!guarded(self, st, "failed in its timer",
                   [&] { st.logic->on_timer(); }))
        return;
      if (st.out != nullptr)
        st.out->flush(protocol::flush_mode::full_batches, st.link);
      self->delayed_send(self, st.logic->timer_period(), timer_atom::value);
      settle(self);
    },
  };
}

/// Restores the instance's states from the plan's restore point and opens
/// its logic. False when the instance failed.
bool restore_and_open(self_ptr self) {
  auto& st = self->state;
  std::optional<operators::restored_from> restored;
  std::optional<protocol::checkpoint_id> restored_id;
  try {
    if (auto& point = st.plan->restored) {
      auto& name = st.plan->stages[st.stage].node.name;
      auto& chain = point->chain(name, st.instance);
      if (chain.empty()) {
        fail(self, errc::start_failed,
             "has no snapshot in " + protocol::to_string(point->checkpoint.id)
               + ": the job's graph changed since it was taken");
        return false;
      }
      if (auto err = st.logic->states().restore(chain, st.where)) {
        fail(self, errc::start_failed,
             "could not restore: " + protocol::describe(err));
        return false;
      }
      restored = operators::restored_from{point->checkpoint.id,
                                          chain.back().sink_transaction};
      restored_id = point->checkpoint.id;
    }
    // C5: a sink commits the restored checkpoint again as it opens.
    st.logic->open(restored);
  } catch (const std::exception& e) {
    fail(self, errc::start_failed, std::string{"could not start: "} + e.what());
    return false;
  }
  st.life.emplace(st.out == nullptr ? protocol::operator_role::sink
                                    : protocol::operator_role::transform,
                  st.plan->start, restored_id);
  return true;
}

} // namespace

caf::behavior operator_actor(caf::stateful_actor<operator_state>* self,
                             std::shared_ptr<const job_plan> plan,
                             uint32_t stage, uint32_t instance,
                             instance_counters counters) {
  auto& state = self->state;
  init_instance(self, state, std::move(plan), stage, instance, counters);
  state.resume_reported = state.plan->attempt == 0;
  auto& sp = state.plan->stages[stage];
  try {
    state.logic = sp.factory->make_operator(
      state.plan->context(stage, instance), state.plan->out_edges(stage));
  } catch (const std::exception& e) {
    fail(self, errc::start_failed, std::string{"could not start: "} + e.what());
    return {};
  }
  state.out = state.logic->output();
  state.egress = dynamic_cast<egress_logic*>(state.logic.get());
  if (state.egress != nullptr)
    state.egress->bind(self);
  if (!restore_and_open(self))
    return {};
  return {
    [=](roster& r) {
      auto& st = self->state;
      auto& channels = st.plan->topology.instances[st.stage][st.instance];
      take_roster(st, r);
      for (auto& in : channels.inputs) {
        st.producers.push_back(r.instances.at(in.stage).at(in.instance));
        st.producer_outputs.push_back(in.slot);
      }
      st.producer_homes = peer_homes{self->node(), st.producers};
      st.held = protocol::input_holdback{channels.inputs.size()};
      st.ledger = protocol::credit_ledger{st.plan->stages[st.stage].node.budget,
                                          channels.inputs.size()};
      st.aligner = protocol::barrier_aligner{channels.inputs.size(),
                                             st.plan->checkpoints.mode};
      st.link.bind(self, st.out, channels.outputs, r.instances,
                   st.plan->stages[st.stage].linger, st.affinity);
      self->become(running(self));
      if (auto period = st.logic->timer_period(); period.count() > 0)
        self->delayed_send(self, period, timer_atom::value);
      for (auto& d : st.early_demand)
        st.out->grant(d.output, d.credit);
      st.early_demand.clear();
      settle(self); // opens the input channels with their first credit
    },
    [=](const protocol::demand& d) { self->state.early_demand.push_back(d); },
    [=](const protocol::egress_demand& d) {
      // The consumer answered the hello before the roster came.
      if (auto e = self->state.egress)
        e->on_demand(d.credit);
    },
    // What needs no credit may come before the roster: a producer that got
    // its roster first ends its streams at once (L6), or sends a barrier
    // or marker. It waits, in order, until the instance knows its inputs.
    [=](protocol::end_of_stream&) -> caf::result<void> { return caf::skip(); },
    [=](protocol::barrier&) -> caf::result<void> { return caf::skip(); },
    [=](protocol::latency_marker&) -> caf::result<void> { return caf::skip(); },
    [=](protocol::checkpoint_committed&) -> caf::result<void> {
      return caf::skip();
    },
  };
}

} // namespace sluice::actors
