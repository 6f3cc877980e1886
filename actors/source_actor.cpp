#include "actors/source_actor.hpp"

#include "actors/atoms.hpp"
#include "actors/snapshot_taken.hpp"
#include "actors/stray_message.hpp"
#include "protocol/checkpoint_interval_policy.hpp"
#include "protocol/checkpoint_messages.hpp"
#include "protocol/describe.hpp"
#include "protocol/ingress_messages.hpp"

#include <caf/all.hpp>

namespace sluice::actors {

namespace {

using self_ptr = caf::stateful_actor<source_state>*;
using protocol::source_answer;

/// Batches pulled per message, so that demand and stop messages are seen
/// between them.
constexpr int pulls_per_message = 4;

void fail(self_ptr self, errc code, const std::string& what) {
  fail_instance(self, self->state, code, what);
}

protocol::output_port& out(self_ptr self) {
  return self->state.logic->output();
}

/// Still reading, though perhaps paused for credit (L2): not yet finished
/// or stopped.
bool still_reading(self_ptr self) {
  auto& life = self->state.life;
  return life.reads() || life.phase() == protocol::source_phase::paused;
}

/// I6: records accepted from producers and not yet handed on.
bool accepted_left(self_ptr self) {
  auto in = self->state.ingress;
  return in != nullptr && in->endpoint().queued() > 0;
}

/// CI8: records the source may read before its next checkpoint commits.
uint64_t allowed(self_ptr self) {
  auto& st = self->state;
  return st.guard.may_read(st.report.records_in);
}

/// CI7, CI8: true while it holds at its allowance. The coordinator hears
/// of a hold once, to start a checkpoint at once; a commit lifts it and
/// schedules the next pull.
bool holds(self_ptr self) {
  auto& st = self->state;
  if (allowed(self) > 0)
    return false;
  if (st.guard.on_held())
    self->send(st.coordinator, protocol::source_held{st.stage, st.instance,
                                                     st.report.records_in});
  return true;
}

void schedule_pull(self_ptr self) {
  auto& st = self->state;
  if (st.pull_pending || !st.life.reads() || out(self).saturated()
      || holds(self))
    return;
  st.pull_pending = true;
  self->send(self, pull_atom::value);
}

/// Ships what is buffered, ends the streams and quits (L5).
void end_streams(self_ptr self) {
  auto& st = self->state;
  out(self).flush(protocol::flush_mode::everything, st.link);
  st.link.end_all();
  st.report.records_out = out(self).shipped();
  st.report.offset = st.logic->offset();
  end_instance(self, st);
}

/// Carries out what the lifecycle answered. False when the instance ended.
bool act(self_ptr self, source_answer a) {
  auto& st = self->state;
  switch (a) {
  case source_answer::read:
    schedule_pull(self);
    return true;
  case source_answer::report_finished:
    // L3, J1: the coordinator counts it for this incarnation only.
    self->send(st.coordinator, protocol::source_finished{st.stage, st.instance,
                                                         st.plan->attempt});
    return true;
  case source_answer::end_streams:
    end_streams(self);
    return false;
  case source_answer::refuse:
    fail(self, errc::protocol_violation,
         "got an event its lifecycle does not allow while "
           + protocol::to_string(st.life.phase()));
    return false;
  default:
    return true;
  }
}

/// Reads a few batches while the outputs have room. False when the
/// instance ended.
bool pull_some(self_ptr self) {
  auto& st = self->state;
  auto batch = st.plan->stages[st.stage].node.batch_size;
  for (int k = 0; k < pulls_per_message; ++k) {
    if (!st.life.reads())
      return true;
    if (out(self).saturated()) {
      static_cast<void>(st.life.on_saturated()); // L2
      return true;
    }
    if (holds(self))
      return true;
    operators::pull_result r;
    if (!guarded(self, st, "failed", [&] {
          r = st.logic->pull(std::min<uint64_t>(batch, allowed(self)));
        }))
      return false;
    st.report.records_in += r.records;
    out(self).flush(protocol::flush_mode::full_batches, st.link);
    // An empty pull (a throttled or idle source) is no batch: no draw.
    if (auto fault
        = r.records > 0 ? st.faults.after_batch(r.records) : std::nullopt) {
      fail(self, errc::injected_fault, *fault);
      return false;
    }
    if (r.status == operators::pull_status::exhausted)
      return act(self, st.life.on_input_ended());
    if (r.status == operators::pull_status::idle) {
      // I6: stopping, it handed on what it had accepted.
      if (st.life.phase() == protocol::source_phase::stopping
          && !accepted_left(self))
        return act(self, st.life.on_input_ended());
      return true; // records come as messages, which schedule the next pull
    }
    if (r.status == operators::pull_status::throttled) {
      st.pull_pending = true;
      self->delayed_send(self, r.retry_after, pull_atom::value);
      return true;
    }
  }
  schedule_pull(self);
  return true;
}

/// Refreshes the live figures (once per message, never per record).
void publish_metrics(self_ptr self) {
  auto& st = self->state;
  auto& m = *st.metrics;
  constexpr auto relaxed = std::memory_order_relaxed;
  m.records_in.store(st.report.records_in, relaxed);
  m.records_out.store(out(self).shipped(), relaxed);
  m.credit_held.store(out(self).credit(), relaxed);
  // Demand, triggers, pulls and (for an ingress stage) producers' records
  // queue here: a source behind on them shows it like any instance.
  m.mailbox.store(static_cast<uint64_t>(self->mailbox().size()), relaxed);
  // Saturated while it would read: a source that is done reading waits
  // for nothing its consumers hold back.
  note_saturation(st, still_reading(self) && out(self).saturated());
}

/// I3: credit for producers as the queue empties, until the source stops;
/// then the live figures of what producers may still send.
void grant_ingress_credit(self_ptr self) {
  auto& st = self->state;
  if (st.ingress == nullptr)
    return;
  auto& in = st.ingress->endpoint();
  auto phase = st.life.phase();
  if (phase == protocol::source_phase::reading
      || phase == protocol::source_phase::paused)
    for (auto& [to, credit] : in.grants(self))
      self->send(to, credit);
  constexpr auto relaxed = std::memory_order_relaxed;
  st.metrics->waiting.store(in.queued(), relaxed);
  st.metrics->credit_granted.store(in.outstanding(), relaxed);
}

/// I2, I5: records from a producer, `(ingress_header, std::vector<T>)`.
void on_ingress_records(self_ptr self, caf::message msg) {
  auto& st = self->state;
  auto& h = msg.get_as<protocol::ingress_header>(0);
  auto count = st.ingress->count(msg);
  auto decision = st.ingress->endpoint().on_records(h, count);
  if (count == 0 && !decision.rejected)
    decision.rejected = "a records message of producer "
                        + std::to_string(h.producer)
                        + " holds no records of this stage's type";
  if (decision.rejected) {
    auto to = st.ingress->endpoint().reply_to(h.producer);
    if (!to)
      to = caf::actor_cast<caf::actor>(self->current_sender());
    if (to)
      self->send(to, protocol::ingress_rejected{
                       h.producer, st.ingress->endpoint().next_seq(h.producer),
                       st.where + ": " + *decision.rejected});
    return;
  }
  st.ingress->enqueue(h, msg, decision.duplicates);
  schedule_pull(self);
}

/// After every message: live figures and producer credit; once reading is
/// over, everything buffered leaves, and the lifecycle may end the source
/// when it did (L5); otherwise the linger keeps running.
void settle(self_ptr self) {
  auto& st = self->state;
  publish_metrics(self);
  grant_ingress_credit(self);
  st.report.max_mailbox = std::max(
    st.report.max_mailbox, static_cast<uint64_t>(self->mailbox().size()));
  if (!still_reading(self))
    out(self).flush(protocol::flush_mode::everything, st.link);
  if (out(self).buffered() == 0 && !act(self, st.life.on_outputs_drained()))
    return;
  st.link.arm_linger();
}

/// L4: stores the offset after the last record read (all of them are in
/// the router, ahead of the barrier, C2) and emits the barrier.
void take_snapshot(self_ptr self, const protocol::checkpoint_trigger& t) {
  auto& st = self->state;
  auto image = std::make_shared<state::instance_image>();
  image->kind = t.kind;
  if (st.ingress != nullptr)
    st.ingress->endpoint().checkpoint_taken(t.id);
  if (auto states = st.logic->states())
    states->take_images(t.kind, *image);
  image->source_offset = st.logic->offset();
  image->source_records = st.report.records_in;
  st.guard.on_snapshot(t.id, st.report.records_in);
  self->send(st.store,
             snapshot_taken{t.id, st.stage, st.plan->stages[st.stage].node.name,
                            st.instance, std::move(image), st.coordinator});
  out(self).emit_barrier(protocol::barrier_mark{t.id, t.kind, t.final, 0},
                         st.link);
}

caf::behavior running(self_ptr self) {
  return {
    [=](pull_atom) {
      self->state.affinity.note(self);
      self->state.pull_pending = false;
      if (pull_some(self))
        settle(self);
    },
    [=](const protocol::demand& d) {
      auto& st = self->state;
      st.affinity.note(self);
      if (d.output >= out(self).num_outputs()) {
        fail(self, errc::protocol_violation,
             "got credit for unknown output " + std::to_string(d.output));
        return;
      }
      st.link.learn_home(d.output, d.worker);
      out(self).grant(d.output, d.credit);
      out(self).flush(protocol::flush_mode::full_batches, st.link);
      if (!out(self).saturated() && !act(self, st.life.on_credit())) // L2
        return;
      schedule_pull(self);
      settle(self);
    },
    [=](stop_atom) {
      auto& st = self->state;
      // I6: what producers send from now on would come after the final
      // checkpoint; they keep it, unacknowledged, for the next run.
      if (st.ingress != nullptr)
        st.ingress->endpoint().close();
      if (act(self, st.life.on_stop(accepted_left(self))))
        settle(self);
    },
    [=](const protocol::checkpoint_trigger& t) {
      auto& st = self->state;
      auto a = st.life.on_trigger(t.id, t.final);
      if (a == source_answer::refuse) {
        fail(self, errc::protocol_violation,
             "got the final trigger of " + protocol::to_string(t.id) + " while "
               + protocol::to_string(st.life.phase())
               + ": the coordinator counted it finished too early");
        return;
      }
      if (a == source_answer::none)
        return;
      take_snapshot(self, t);
      settle(self);
    },
    [=](const protocol::checkpoint_committed& c) {
      auto& st = self->state;
      // I4: producers may forget what the checkpoint holds.
      if (auto in = st.ingress)
        for (auto& [to, ack] : in->endpoint().checkpoint_committed(c.id))
          self->send(to, ack);
      st.guard.on_committed(c.id); // CI8: may read on
      if (act(self, st.life.on_committed(c.id))) {
        schedule_pull(self);
        settle(self);
      }
    },
    [=](protocol::ingress_open& o) {
      auto& st = self->state;
      if (st.ingress == nullptr)
        return;
      st.ingress->endpoint().open(o.producer, std::move(o.reply_to));
      settle(self);
    },
    [=](marker_atom) {
      auto& st = self->state;
      if (!still_reading(self)) // D9: a source that stopped reading sends none
        return;
      auto now = std::chrono::system_clock::now().time_since_epoch();
      out(self).emit_latency_marker(
        std::chrono::duration_cast<std::chrono::nanoseconds>(now).count(),
        st.link);
      st.metrics->markers.fetch_add(1, std::memory_order_release);
      self->delayed_send(self, st.plan->latency_interval, marker_atom::value);
    },
    [=](flush_atom) {
      self->state.link.on_linger();
      settle(self);
    },
  };
}

/// Builds the logic and restores it from the plan's restore point. False
/// when the instance failed.
bool restore(self_ptr self) {
  auto& st = self->state;
  auto& sp = st.plan->stages[st.stage];
  auto ctx = st.plan->context(st.stage, st.instance);
  try {
    st.logic = sp.factory->make_source(ctx, st.plan->out_edges(st.stage));
    st.ingress = dynamic_cast<ingress_logic*>(st.logic.get());
    if (auto& point = st.plan->restored) {
      auto& chain = point->chain(sp.node.name, st.instance);
      if (chain.empty() || !chain.back().source_offset) {
        fail(self, errc::start_failed,
             "has no offset in " + protocol::to_string(point->checkpoint.id)
               + ": the job's graph changed since it was taken");
        return false;
      }
      if (auto states = st.logic->states())
        if (auto err = states->restore(chain, st.where)) {
          fail(self, errc::start_failed,
               "could not restore: " + protocol::describe(err));
          return false;
        }
      st.logic->seek(*chain.back().source_offset);
      // Records read: where the restored checkpoint left off; what the
      // source reads again counts once more as it comes.
      st.report.records_in = chain.back().source_records.value_or(0);
    }
    // CI8: the restored checkpoint covers what was read up to here.
    if (st.plan->checkpoints.enabled())
      st.guard = protocol::replay_guard{
        protocol::checkpoint_interval_policy::record_allowance(
          st.plan->checkpoints.targets, st.plan->source_instances()),
        st.report.records_in};
  } catch (const std::exception& e) {
    fail(self, errc::start_failed, std::string{"could not start: "} + e.what());
    return false;
  }
  return true;
}

} // namespace

caf::behavior source_actor(caf::stateful_actor<source_state>* self,
                           std::shared_ptr<const job_plan> plan, uint32_t stage,
                           uint32_t instance, instance_counters counters) {
  auto& state = self->state;
  init_instance(self, state, std::move(plan), stage, instance, counters);
  if (!state.plan->checkpoints.enabled())
    state.life = protocol::source_lifecycle{protocol::source_ending::drain};
  if (!restore(self))
    return {};
  if (state.plan->checkpoints.enabled())
    state.life = protocol::source_lifecycle{
      state.ingress != nullptr ? protocol::source_ending::final_commit
                               : protocol::source_ending::final_checkpoint};
  // Records from producers have no static type (I2): they come here. So do
  // stray messages, reported and dropped; they must not end the instance.
  self->set_default_handler(
    [self](caf::scheduled_actor*,
           caf::message_view& x) -> caf::result<caf::message> {
      auto& st = self->state;
      if (st.ingress != nullptr && protocol::ingress_producer_of(x.content())) {
        // Producers may arrive before the roster: they wait until it runs.
        if (!st.runner)
          return caf::skip();
        if (protocol::is_ingress_records(x.content())) {
          on_ingress_records(self, x.move_content_to_message());
          settle(self);
          return caf::message{};
        }
      }
      return drop_stray(*st.plan->log, st.where, x);
    });
  return {
    [=](roster& r) {
      auto& st = self->state;
      auto& channels = st.plan->topology.instances[st.stage][st.instance];
      take_roster(st, r);
      st.link.bind(self, &out(self), channels.outputs, r.instances,
                   st.plan->stages[st.stage].linger, st.affinity);
      self->become(running(self));
      for (auto& d : st.early_demand)
        out(self).grant(d.output, d.credit);
      st.early_demand.clear();
      if (st.plan->latency_interval.count() > 0 && !channels.outputs.empty())
        self->delayed_send(self, st.plan->latency_interval, marker_atom::value);
      // L1, L6: reads its first batch per channel now, more once credit
      // comes; or ends at once behind the job's completed final checkpoint.
      if (act(self, st.life.on_started(st.plan->start)))
        settle(self);
    },
    [=](const protocol::demand& d) { self->state.early_demand.push_back(d); },
    // A stop, trigger or commit before the roster waits for it, in order.
    [=](stop_atom) -> caf::result<void> { return caf::skip(); },
    [=](protocol::checkpoint_trigger&) -> caf::result<void> {
      return caf::skip();
    },
    [=](protocol::checkpoint_committed&) -> caf::result<void> {
      return caf::skip();
    },
  };
}

} // namespace sluice::actors
