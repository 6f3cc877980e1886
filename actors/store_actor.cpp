#include "actors/store_actor.hpp"

#include "actors/atoms.hpp"
#include "actors/background_priority.hpp"
#include "actors/snapshot_taken.hpp"
#include "protocol/checkpoint_messages.hpp"
#include "protocol/checkpoint_tracker.hpp"
#include "protocol/describe.hpp"

#include <caf/all.hpp>

#include <chrono>

namespace sluice::actors {

namespace {

int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch())
    .count();
}

} // namespace

caf::behavior store_actor(caf::stateful_actor<store_state>* self,
                          std::string job, std::string path, uint32_t retain,
                          uint32_t niceness) {
  // Encoding and writing snapshots must not take a core from the data
  // path: on a busy machine the checkpoint completes later instead.
  run_as_background(static_cast<int>(niceness));
  auto opened = state::checkpoint_store::open(path);
  if (!opened) {
    self->quit(opened.error());
    return {};
  }
  self->state.store.emplace(std::move(*opened));
  self->state.job = std::move(job);
  self->state.retain = retain;
  return {
    [=](snapshot_taken& x) {
      // Encoding happens here, on the store's thread, not in the operator.
      auto& st = self->state;
      state::snapshot_identity identity{st.job,
                                        x.stage_name,
                                        x.instance,
                                        to_integer(x.id),
                                        protocol::snapshot_kind::full,
                                        to_integer(x.id)};
      if (auto i = st.begun.find(x.id); i != st.begun.end()) {
        identity.kind = i->second.kind;
        identity.base = to_integer(i->second.base);
      }
      auto payload = x.image->encode(identity);
      auto err = self->state.store->put_snapshot(
        x.id, x.stage_name, x.instance, x.image->kind, payload,
        x.image->source_offset, x.image->sink_transaction);
      if (err)
        self->send(x.coordinator,
                   protocol::snapshot_failed{x.id, x.stage, x.instance,
                                             protocol::describe(err)});
      else
        self->send(x.coordinator, protocol::snapshot_stored{
                                    x.id, x.stage, x.instance, payload.size(),
                                    x.image->source_records.value_or(0)});
    },
    [=](begin_atom,
        const protocol::checkpoint_plan& plan) -> caf::result<void> {
      if (auto err = self->state.store->begin(plan, now_ms()))
        return err;
      self->state.begun[plan.id] = plan;
      return caf::unit;
    },
    // The reply: a warning to log, empty if there is none.
    [=](complete_atom, protocol::checkpoint_id id) -> caf::result<std::string> {
      auto& store = *self->state.store;
      self->state.begun.erase(id);
      if (auto err = store.complete(id, now_ms(), self->state.retain))
        return err;
      if (auto& err = store.retention_error())
        return "could not delete old checkpoints: " + protocol::describe(err);
      return std::string{};
    },
    [=](load_atom) -> caf::result<restore_handle> {
      auto& store = *self->state.store;
      auto point = state::load_restore_point(store, self->state.job);
      if (!point)
        return std::move(point.error());
      // S4: the job goes on from the checkpoint restored, in a history in
      // which the damaged ones after it never happened; deltas must not
      // build on them.
      if (!point->skipped.empty())
        if (auto err = store.discard_after(point->checkpoint.id))
          return err;
      return restore_handle{
        std::make_shared<state::restore_point>(std::move(*point))};
    },
    [=](abort_atom, protocol::checkpoint_id id) -> caf::result<void> {
      self->state.begun.erase(id);
      if (auto err = self->state.store->abort(id))
        return err;
      return caf::unit;
    },
  };
}

} // namespace sluice::actors
