#include "actors/coordinator_actor.hpp"

#include "actors/atoms.hpp"
#include "actors/errc.hpp"
#include "protocol/checkpoint_messages.hpp"
#include "protocol/describe.hpp"

#include <caf/all.hpp>

namespace sluice::actors {

namespace {

using self_ptr = caf::stateful_actor<coordinator_state>*;
using protocol::checkpoint_id;

void try_start_pending(self_ptr self);

void abort(self_ptr self, checkpoint_id id, const std::string& reason);

void on_completed(self_ptr self, const protocol::checkpoint_plan& plan,
                  uint64_t bytes);

void on_completion_failed(self_ptr self, const protocol::checkpoint_plan& plan,
                          const caf::error& err);

using clock = std::chrono::steady_clock;

/// Publishes the interval in force; a meaningful change (CI9) goes to the
/// event log with its reason.
void note_interval(self_ptr self, bool changed) {
  auto& st = self->state;
  auto& choice = st.interval->current();
  auto reason = protocol::to_string(choice.reason);
  st.plan->metrics->set_checkpoint_interval(choice.interval, reason, changed);
  if (!changed)
    return;
  auto ms
    = std::chrono::duration_cast<std::chrono::milliseconds>(choice.interval)
        .count();
  auto rate = static_cast<uint64_t>(st.interval->rate());
  st.plan->log->info("checkpoint interval " + std::to_string(ms) + " ms ("
                     + reason + "), input " + std::to_string(rate)
                     + " records/s");
}

/// Arms a tick for the next due checkpoint, unless one comes as early.
void arm_tick(self_ptr self) {
  auto& st = self->state;
  auto due = st.interval->due();
  if (!due || (st.tick_at && *st.tick_at <= *due))
    return;
  st.tick_at = *due;
  auto delay = std::max(*due - clock::now(), clock::duration::zero());
  self->delayed_send(self, delay, tick_atom::value, ++st.tick_generation);
}

/// The store completes `done` in its transaction (S2); then the sinks may
/// publish its epoch.
void complete(self_ptr self,
              const std::vector<protocol::acknowledged_checkpoint>& xs) {
  auto& st = self->state;
  for (auto& done : xs)
    self->request(st.store, caf::infinite, complete_atom::value, done.plan.id)
      .then(
        [self, done](const std::string& warning) {
          if (!warning.empty())
            self->state.plan->log->warning(warning);
          on_completed(self, done.plan, done.bytes);
        },
        [self, done](caf::error& err) {
          on_completion_failed(self, done.plan, err);
        });
}

/// Starts a checkpoint if the tracker allows one now.
std::optional<checkpoint_id> start(self_ptr self, bool final) {
  auto& st = self->state;
  auto plan = st.tracker->start(final);
  if (!plan)
    return std::nullopt;
  auto now = clock::now();
  st.flights.emplace(plan->id, coordinator_state::flight{*plan, now, {}, 0});
  st.interval->on_started(now);
  // Recorded before any trigger leaves, so it reaches the store's mailbox
  // before any snapshot of this checkpoint.
  // A store that cannot record it (a full disk, say) aborts this
  // checkpoint; the job goes on and a later one may succeed.
  auto id = plan->id;
  self->request(st.store, caf::infinite, begin_atom::value, *plan)
    .then([] {},
          [self, id](caf::error& err) {
            if (self->state.tracker->is_in_flight(id))
              abort(self, id,
                    "the store could not record it: "
                      + protocol::describe(err));
          });
  for (auto& src : st.sources)
    self->send(src, protocol::checkpoint_trigger{plan->id, plan->kind, final});
  self->delayed_send(self, st.plan->checkpoints.timeout, timeout_atom::value,
                     plan->id);
  return plan->id;
}

void report(self_ptr self, const coordinator_state::flight& f, bool completed,
            uint64_t bytes, std::string reason) {
  checkpoint_stats stats;
  stats.id = f.plan.id;
  stats.kind = f.plan.kind;
  stats.final = f.plan.final;
  stats.completed = completed;
  stats.bytes = bytes;
  stats.duration = std::chrono::steady_clock::now() - f.started;
  stats.reason = std::move(reason);
  self->send(self->state.runner, stats);
}

/// The store made `id` completed: the sinks may publish its epoch.
void on_completed(self_ptr self, const protocol::checkpoint_plan& plan,
                  uint64_t bytes) {
  auto& st = self->state;
  auto i = st.flights.find(plan.id);
  if (i == st.flights.end())
    return;
  // J3: the final checkpoint completed: the job's output is committed.
  static_cast<void>(st.end->on_completed(plan.id));
  note_interval(self, st.interval->on_completed(i->second.started, clock::now(),
                                                i->second.records));
  // The runner hears of it first: after the final checkpoint's commit the
  // instances end, and the runner concludes with what it was told by then.
  report(self, i->second, true, bytes, {});
  // Sinks publish the epoch; ingress sources acknowledge their producers.
  for (auto& c : st.committers)
    self->send(c, protocol::checkpoint_committed{plan.id});
  for (auto& src : st.sources)
    self->send(src, protocol::checkpoint_committed{plan.id});
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
              std::chrono::steady_clock::now() - i->second.started)
              .count();
  st.plan->log->info(protocol::to_string(plan.id)
                     + " completed: " + protocol::to_string(plan.kind) + ", "
                     + std::to_string(bytes) + " bytes, " + std::to_string(ms)
                     + " ms" + (plan.final ? " (final)" : ""));
  for (auto& w : i->second.waiters)
    w.deliver(protocol::to_integer(plan.id));
  st.flights.erase(i);
  try_start_pending(self);
}

/// Checkpoint `id`, in flight, will not complete: the store discards what
/// it holds of it, the runner and the waiters hear why. False when that
/// ends the job: the final checkpoint aborted outside a failover (J5).
bool give_up(self_ptr self, checkpoint_id id, const std::string& why,
             config::log_level level = config::log_level::warning) {
  auto& st = self->state;
  auto i = st.flights.find(id);
  if (i == st.flights.end())
    return true;
  // What an abort fails to delete stays pending, and pending checkpoints
  // are discarded when the store is next opened: nothing to stop for.
  self->request(st.store, caf::infinite, abort_atom::value, id)
    .then([] {},
          [self, id](caf::error& err) {
            self->state.plan->log->warning("could not discard "
                                           + protocol::to_string(id) + ": "
                                           + protocol::describe(err));
          });
  report(self, i->second, false, 0, why);
  st.interval->on_aborted();
  auto text = protocol::to_string(id) + " aborted: " + why;
  st.plan->log->write(level, text);
  auto err = caf::make_error(errc::checkpoint_aborted, text);
  for (auto& w : i->second.waiters)
    w.deliver(err);
  st.flights.erase(i);
  if (st.end->on_aborted(id)) {
    // J5: the sources ended their streams behind its barrier; no later
    // checkpoint could commit their last records. The next run resumes
    // from the last completed checkpoint.
    self->quit(caf::make_error(errc::checkpoint_aborted,
                               "the final " + protocol::to_string(id)
                                 + " was aborted: " + why));
    return false;
  }
  return true;
}

void abort(self_ptr self, checkpoint_id id, const std::string& reason) {
  auto& st = self->state;
  for (auto aborted : st.tracker->abort(id)) {
    auto why = aborted == id
                 ? reason
                 : "its delta chain runs through " + protocol::to_string(id)
                     + ", which was " + "aborted";
    if (!give_up(self, aborted, why))
      return;
  }
  // C5: a later full checkpoint no longer waits for the aborted one.
  complete(self, st.tracker->complete_in_order());
  try_start_pending(self);
}

/// Every instance acknowledged `plan`, but the store could not mark it
/// completed (a full disk, say): it is aborted after all, and the job goes
/// on; sinks keep its epoch staged for a later checkpoint to commit.
void on_completion_failed(self_ptr self, const protocol::checkpoint_plan& plan,
                          const caf::error& err) {
  auto& st = self->state;
  if (!give_up(self, plan.id,
               "the store could not complete it: " + protocol::describe(err),
               config::log_level::error))
    return;
  for (auto later : st.tracker->completion_failed(plan.id))
    abort(self, later,
          "its delta chain runs through " + protocol::to_string(plan.id)
            + ", which did not complete");
  try_start_pending(self);
}

/// Starts what is due: requested checkpoints while they are accepted, and
/// the final one once every source finished and nothing else is in flight
/// (J2, J6).
void try_start_pending(self_ptr self) {
  auto& st = self->state;
  if (st.end->paused())
    return;
  while (!st.requests.empty() && st.end->accepts_checkpoints()) {
    auto id = start(self, false);
    if (!id)
      return;
    st.flights[*id].waiters.push_back(st.requests.front());
    st.requests.pop_front();
  }
  if (!st.end->accepts_checkpoints())
    for (auto& rp : st.requests)
      rp.deliver(caf::make_error(errc::checkpoint_aborted,
                                 "the job is finishing: its final checkpoint "
                                 "is the last one"));
  if (!st.end->accepts_checkpoints())
    st.requests.clear();
  if (st.end->final_due(st.tracker->in_flight()))
    if (auto id = start(self, true))
      st.end->on_final_started(*id);
  arm_tick(self);
}

} // namespace

caf::behavior coordinator_actor(caf::stateful_actor<coordinator_state>* self,
                                std::shared_ptr<const job_plan> plan,
                                caf::actor store, caf::actor runner,
                                std::vector<caf::actor> sources,
                                std::vector<caf::actor> committers) {
  auto& state = self->state;
  state.plan = std::move(plan);
  state.store = std::move(store);
  state.runner = std::move(runner);
  state.sources = std::move(sources);
  state.committers = std::move(committers);
  auto& settings = state.plan->checkpoints;
  size_t instances = state.sources.size() + state.committers.size();
  std::optional<protocol::checkpoint_plan> restored;
  if (state.plan->restored) {
    auto& c = state.plan->restored->checkpoint;
    restored = protocol::checkpoint_plan{c.id, c.kind, c.base, false};
  }
  state.tracker.emplace(instances, settings.max_concurrent, settings.full_every,
                        restored, state.plan->first_checkpoint);
  std::vector<std::pair<uint32_t, uint32_t>> keys;
  auto& stages = state.plan->stages;
  for (uint32_t s = 0; s < stages.size(); ++s)
    if (stages[s].node.role == protocol::stage_role::source)
      for (uint32_t i = 0; i < stages[s].node.parallelism; ++i)
        keys.emplace_back(s, i);
  state.end.emplace(keys, state.plan->attempt);
  state.interval.emplace(settings.targets, settings.interval,
                         state.plan->source_instances(), clock::now());
  note_interval(self, false);
  arm_tick(self);
  return {
    [=](tick_atom, uint64_t generation) {
      auto& st = self->state;
      if (generation != st.tick_generation)
        return;
      st.tick_at.reset();
      auto now = clock::now();
      auto due = st.interval->due();
      if (!due)
        return;
      // J6: at most `max_concurrent` in flight, and none but the final
      // once the end is near: a tick that finds them busy is skipped.
      if (*due <= now
          && !(st.end->accepts_checkpoints() && !st.end->paused()
               && start(self, false))) {
        st.interval->on_skipped(now);
        // CI7: still due at once: the completion or abort of what is in
        // flight, or the end of a failover, arms the next tick.
        if (auto again = st.interval->due(); again && *again <= now)
          return;
      }
      arm_tick(self);
    },
    [=](const protocol::source_held&) {
      auto& st = self->state;
      st.plan->metrics->count_source_hold();
      note_interval(self, st.interval->on_source_held());
      try_start_pending(self);
    },
    [=](checkpoint_atom) -> caf::result<uint64_t> {
      auto& st = self->state;
      if (!st.end->accepts_checkpoints())
        return caf::make_error(errc::checkpoint_aborted,
                               "the job is finishing: its final checkpoint "
                               "is the last one");
      auto rp = self->make_response_promise();
      st.requests.push_back(rp);
      try_start_pending(self);
      return rp;
    },
    [=](const protocol::snapshot_stored& x) {
      auto& st = self->state;
      if (auto i = st.flights.find(x.id); i != st.flights.end())
        i->second.records += x.records;
      complete(self, st.tracker->on_ack(x.id, x.stage, x.instance, x.bytes));
    },
    [=](const protocol::snapshot_failed& x) {
      auto& st = self->state;
      if (!st.tracker->is_in_flight(x.id))
        return;
      abort(self, x.id,
            "stage '" + st.plan->stages[x.stage].node.name + "' instance "
              + std::to_string(x.instance)
              + " could not store its snapshot: " + x.reason);
    },
    [=](timeout_atom, checkpoint_id id) {
      auto& st = self->state;
      if (!st.tracker->is_in_flight(id))
        return;
      auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                  st.plan->checkpoints.timeout)
                  .count();
      abort(self, id, "not completed within " + std::to_string(ms) + " ms");
    },
    [=](const protocol::source_finished& x) {
      // J1: counted for the incarnation that sent it only.
      static_cast<void>(self->state.end->on_source_finished(
        {x.stage, x.instance, x.incarnation}));
      try_start_pending(self);
    },
    [=](failover_atom) {
      auto& st = self->state;
      // J4: first the machine, so that the final's abort below does not
      // count as one outside a failover (J5).
      auto final_id = st.end->final_checkpoint();
      auto final = st.end->on_failover();
      st.interval->on_failure(); // CI2
      std::vector<checkpoint_id> ids;
      for (auto& [id, f] : st.flights)
        ids.push_back(id);
      for (auto id : ids)
        if (st.tracker->is_in_flight(id))
          abort(self, id, "instances are restarting after a failure");
      return protocol::failover_paused{final,
                                       final_id.value_or(checkpoint_id{0})};
    },
    [=](regions_restarted& r) {
      auto& st = self->state;
      st.sources = std::move(r.sources);
      st.committers = std::move(r.committers);
      std::optional<checkpoint_id> from;
      if (protocol::to_integer(r.restored) > 0)
        from = r.restored;
      st.end->on_restarted(r.restarted, r.incarnation, from);
      st.tracker->restart_chain();
      try_start_pending(self);
    },
  };
}

} // namespace sluice::actors
