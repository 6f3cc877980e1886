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

/// Whether aborting the final checkpoint fails the job.
enum class final_abort { fails_job, expected };

void try_start_pending(self_ptr self);

void abort(self_ptr self, checkpoint_id id, const std::string& reason,
           final_abort on_final = final_abort::fails_job);

/// Starts a checkpoint if the tracker allows one now.
std::optional<checkpoint_id> start(self_ptr self, bool final) {
  auto& st = self->state;
  if (st.paused)
    return std::nullopt;
  auto plan = st.tracker->start(final);
  if (!plan)
    return std::nullopt;
  st.flights.emplace(plan->id, coordinator_state::flight{
                                 *plan, std::chrono::steady_clock::now(), {}});
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
/// ends the job: after the final checkpoint there is no later one to
/// commit the job's last records.
bool give_up(self_ptr self, checkpoint_id id, const std::string& why,
             final_abort on_final,
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
  auto text = protocol::to_string(id) + " aborted: " + why;
  st.plan->log->write(level, text);
  auto err = caf::make_error(errc::checkpoint_aborted, text);
  for (auto& w : i->second.waiters)
    w.deliver(err);
  if (i->second.plan.final && on_final == final_abort::fails_job) {
    self->quit(caf::make_error(errc::checkpoint_aborted,
                               "the final " + protocol::to_string(id)
                                 + " was aborted: " + why));
    return false;
  }
  st.flights.erase(i);
  return true;
}

void abort(self_ptr self, checkpoint_id id, const std::string& reason,
           final_abort on_final) {
  for (auto aborted : self->state.tracker->abort(id)) {
    auto why = aborted == id
                 ? reason
                 : "its delta chain runs through " + protocol::to_string(id)
                     + ", which was " + "aborted";
    if (!give_up(self, aborted, why, on_final))
      return;
  }
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
               final_abort::fails_job, config::log_level::error))
    return;
  for (auto later : st.tracker->completion_failed(plan.id))
    abort(self, later,
          "its delta chain runs through " + protocol::to_string(plan.id)
            + ", which did not complete");
  try_start_pending(self);
}

void try_start_pending(self_ptr self) {
  auto& st = self->state;
  while (!st.requests.empty() && !st.final_started) {
    auto id = start(self, false);
    if (!id)
      return;
    st.flights[*id].waiters.push_back(st.requests.front());
    st.requests.pop_front();
  }
  if (st.final_wanted && !st.final_started && start(self, true))
    st.final_started = true;
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
  if (settings.interval.count() > 0)
    self->delayed_send(self, settings.interval, tick_atom::value);
  return {
    [=](tick_atom) {
      auto& st = self->state;
      if (st.final_started)
        return;
      // At most `max_concurrent` in flight: a tick that finds them all
      // busy is skipped, not queued.
      static_cast<void>(start(self, false));
      self->delayed_send(self, st.plan->checkpoints.interval, tick_atom::value);
    },
    [=](checkpoint_atom) -> caf::result<uint64_t> {
      auto& st = self->state;
      if (st.final_wanted)
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
      for (auto& done : st.tracker->on_ack(x.id, x.stage, x.instance, x.bytes))
        self
          ->request(st.store, caf::infinite, complete_atom::value, done.plan.id)
          .then(
            [self, done](const std::string& warning) {
              if (!warning.empty())
                self->state.plan->log->warning(warning);
              on_completed(self, done.plan, done.bytes);
            },
            [self, done](caf::error& err) {
              on_completion_failed(self, done.plan, err);
            });
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
      auto& st = self->state;
      st.sources_finished.emplace(x.stage, x.instance);
      if (st.sources_finished.size() == st.sources.size()) {
        st.final_wanted = true;
        try_start_pending(self);
      }
    },
    [=](failover_atom,
        const std::vector<std::pair<uint32_t, uint32_t>>& restarting) {
      auto& st = self->state;
      st.paused = true;
      bool final_in_flight = false;
      std::vector<checkpoint_id> ids;
      for (auto& [id, f] : st.flights) {
        ids.push_back(id);
        final_in_flight = final_in_flight || f.plan.final;
      }
      for (auto id : ids)
        abort(self, id, "instances are restarting after a failure",
              final_abort::expected);
      if (final_in_flight)
        st.final_started = false;
      for (auto& x : restarting)
        st.sources_finished.erase(x);
      st.final_wanted = st.sources_finished.size() == st.sources.size();
      return final_in_flight;
    },
    [=](restart_atom, std::vector<caf::actor>& new_sources,
        std::vector<caf::actor>& new_committers) {
      auto& st = self->state;
      st.sources = std::move(new_sources);
      st.committers = std::move(new_committers);
      st.paused = false;
      try_start_pending(self);
    },
  };
}

} // namespace sluice::actors
