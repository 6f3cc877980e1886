#include "actors/source_actor.hpp"

#include "actors/atoms.hpp"
#include "actors/errc.hpp"
#include "actors/roster.hpp"
#include "actors/snapshot_taken.hpp"
#include "actors/stray_message.hpp"
#include "protocol/checkpoint_messages.hpp"
#include "protocol/describe.hpp"
#include "protocol/ingress_messages.hpp"
#include "protocol/messages.hpp"

#include <caf/all.hpp>

namespace sluice::actors {

namespace {

using self_ptr = caf::stateful_actor<source_state>*;

/// Batches pulled per message, so that demand and stop messages are seen
/// between them.
constexpr int pulls_per_message = 4;

void fail(self_ptr self, errc code, const std::string& what) {
  self->quit(caf::make_error(code, self->state.where + " " + what));
}

protocol::output_port& out(self_ptr self) {
  return self->state.logic->output();
}

bool done_reading(self_ptr self) {
  auto& st = self->state;
  // An ingress source asked to stop still hands on what it accepted.
  return st.exhausted
         || (st.stopping
             && (st.ingress == nullptr
                 || st.ingress->endpoint().queued() == 0));
}

void schedule_pull(self_ptr self) {
  auto& st = self->state;
  if (st.pull_pending || done_reading(self) || out(self).saturated())
    return;
  st.pull_pending = true;
  self->send(self, pull_atom::value);
}

/// Reads a few batches while the outputs have room. False on failure.
bool pull_some(self_ptr self) {
  auto& st = self->state;
  auto batch = st.plan->stages[st.stage].node.batch_size;
  for (int k = 0; k < pulls_per_message; ++k) {
    if (done_reading(self) || out(self).saturated())
      return true;
    operators::pull_result r;
    try {
      r = st.logic->pull(batch);
    } catch (const std::exception& e) {
      fail(self, errc::operator_failed, std::string{"failed: "} + e.what());
      return false;
    }
    st.report.records_in += r.records;
    out(self).flush(protocol::flush_mode::full_batches, st.link);
    // An empty pull (a throttled or idle source) is no batch: no draw.
    if (auto fault
        = r.records > 0 ? st.faults.after_batch(r.records) : std::nullopt) {
      fail(self, errc::injected_fault, *fault);
      return false;
    }
    if (r.status == operators::pull_status::exhausted) {
      st.exhausted = true;
    } else if (r.status == operators::pull_status::idle) {
      return true; // records come as messages, which schedule the next pull
    } else if (r.status == operators::pull_status::throttled) {
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
  auto now = std::chrono::steady_clock::now();
  bool full = !done_reading(self) && out(self).saturated();
  // Counted as it passes, not when a spell ends: an instance in front of
  // a slow consumer may stay saturated for the rest of the job.
  if (st.saturated_since)
    m.backpressured_ns.fetch_add(
      static_cast<uint64_t>((now - *st.saturated_since).count()), relaxed);
  if (full)
    st.saturated_since = now;
  else
    st.saturated_since.reset();
  m.saturated.store(full, std::memory_order_release);
}

/// The job asked the source to stop reading.
void begin_stopping(self_ptr self) {
  auto& st = self->state;
  st.stopping = true;
  // I6: what producers send from now on would come after the final
  // checkpoint; they keep it, unacknowledged, for the next run.
  if (st.ingress != nullptr)
    st.ingress->endpoint().close();
}

/// I3: credit for producers as the queue empties; then the live figures
/// of what producers may still send (queued plus granted: the budget).
void grant_ingress_credit(self_ptr self) {
  auto& st = self->state;
  if (st.ingress == nullptr)
    return;
  auto& in = st.ingress->endpoint();
  if (!st.stopping)
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

/// After every message: end the instance once reading is over and all
/// records left; otherwise keep the linger running.
void settle(self_ptr self) {
  auto& st = self->state;
  publish_metrics(self);
  grant_ingress_credit(self);
  st.report.max_mailbox = std::max(
    st.report.max_mailbox, static_cast<uint64_t>(self->mailbox().size()));
  if (done_reading(self) && st.coordinator && !st.final_barrier_sent) {
    // C7: the streams end only after the final checkpoint's barrier.
    if (!st.finish_reported) {
      st.finish_reported = true;
      self->send(st.coordinator,
                 protocol::source_finished{st.stage, st.instance});
    }
    out(self).flush(protocol::flush_mode::everything, st.link);
    st.link.arm_linger();
    return;
  }
  if (done_reading(self)) {
    out(self).flush(protocol::flush_mode::everything, st.link);
    bool acks_owed
      = st.ingress != nullptr && st.final_checkpoint && !st.final_committed;
    if (out(self).buffered() == 0 && !acks_owed) {
      st.link.end_all();
      st.report.records_out = out(self).shipped();
      st.report.offset = st.logic->offset();
      publish_metrics(self);
      st.metrics->finished = true;
      self->send(st.runner, st.report);
      self->quit();
      return;
    }
  }
  st.link.arm_linger();
}

caf::behavior running(self_ptr self) {
  return {
    [=](pull_atom) {
      self->state.affinity.note(self, self->state.metrics->worker);
      self->state.pull_pending = false;
      if (pull_some(self))
        settle(self);
    },
    [=](const protocol::demand& d) {
      self->state.affinity.note(self, self->state.metrics->worker);
      if (d.output >= out(self).num_outputs()) {
        fail(self, errc::protocol_violation,
             "got credit for unknown output " + std::to_string(d.output));
        return;
      }
      out(self).grant(d.output, d.credit);
      out(self).flush(protocol::flush_mode::full_batches, self->state.link);
      schedule_pull(self);
      settle(self);
    },
    [=](stop_atom) {
      begin_stopping(self);
      settle(self);
    },
    [=](const protocol::checkpoint_trigger& t) {
      auto& st = self->state;
      if (st.final_barrier_sent)
        return;
      // The offset after the last record read: all of them are in the
      // router, ahead of the barrier (C2).
      auto image = std::make_shared<state::instance_image>();
      image->kind = t.kind;
      if (st.ingress != nullptr)
        st.ingress->endpoint().checkpoint_taken(t.id);
      if (auto states = st.logic->states())
        states->take_images(t.kind, *image);
      image->source_offset = st.logic->offset();
      image->source_records = st.report.records_in;
      self->send(st.store,
                 snapshot_taken{t.id, st.stage,
                                st.plan->stages[st.stage].node.name,
                                st.instance, std::move(image), st.coordinator});
      out(self).emit_barrier(protocol::barrier_mark{t.id, t.kind, t.final, 0},
                             st.link);
      if (t.final) {
        st.final_barrier_sent = true;
        st.final_checkpoint = t.id;
        st.stopping = true;
      }
      settle(self);
    },
    [=](const protocol::checkpoint_committed& c) {
      auto& st = self->state;
      // I4: producers may forget what the checkpoint holds.
      if (auto in = st.ingress)
        for (auto& [to, ack] : in->endpoint().checkpoint_committed(c.id))
          self->send(to, ack);
      if (st.final_checkpoint && c.id >= *st.final_checkpoint) {
        st.final_committed = true;
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
      if (done_reading(self))
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

} // namespace

caf::behavior source_actor(caf::stateful_actor<source_state>* self,
                           std::shared_ptr<const job_plan> plan, uint32_t stage,
                           uint32_t instance) {
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
  state.metrics = &state.plan->metrics_of(stage, instance);
  state.affinity = worker_affinity{self->home_system()};
  state.faults = fault_injector{state.plan->faults, state.plan->faults_left,
                                sp.node.name, instance, state.plan->attempt};
  try {
    state.logic = sp.factory->make_source(ctx, state.plan->out_edges(stage));
    state.ingress = dynamic_cast<ingress_logic*>(state.logic.get());
    if (auto& point = state.plan->restored) {
      auto& chain = point->chain(sp.node.name, instance);
      if (chain.empty() || !chain.back().source_offset) {
        fail(self, errc::start_failed,
             "has no offset in " + protocol::to_string(point->checkpoint.id)
               + ": the job's graph changed since it was taken");
        return {};
      }
      if (auto states = state.logic->states())
        if (auto err = states->restore(chain, state.where)) {
          fail(self, errc::start_failed,
               "could not restore: " + protocol::describe(err));
          return {};
        }
      state.logic->seek(*chain.back().source_offset);
      // Records read: where the restored checkpoint left off; what the
      // source reads again counts once more as it comes.
      state.report.records_in = chain.back().source_records.value_or(0);
    }
  } catch (const std::exception& e) {
    fail(self, errc::start_failed, std::string{"could not start: "} + e.what());
    return {};
  }
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
  self->set_exception_handler([self](std::exception_ptr&) -> caf::error {
    return caf::make_error(errc::operator_failed,
                           self->state.where + " failed unexpectedly");
  });
  return {
    [=](roster& r) {
      auto& st = self->state;
      auto& channels = st.plan->topology.instances[st.stage][st.instance];
      st.runner = r.runner;
      st.coordinator = r.coordinator;
      st.store = r.store;
      st.link.bind(self, &out(self), channels.outputs, r.instances,
                   st.plan->stages[st.stage].linger, st.affinity, *st.plan);
      self->become(running(self));
      for (auto& d : st.early_demand)
        out(self).grant(d.output, d.credit);
      st.early_demand.clear();
      if (st.plan->latency_interval.count() > 0 && !channels.outputs.empty())
        self->delayed_send(self, st.plan->latency_interval, marker_atom::value);
      // Reads its first batch per channel now; more once credit comes.
      schedule_pull(self);
      settle(self);
    },
    [=](const protocol::demand& d) { self->state.early_demand.push_back(d); },
    [=](stop_atom) { begin_stopping(self); }, // before it started
  };
}

} // namespace sluice::actors
