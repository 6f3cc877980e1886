#include "state/shape_check.hpp"

#include "state/cereal_codec.hpp"
#include "state/errc.hpp"

namespace sluice::state {

caf::error check_shape(checkpoint_store& store, const std::string& job,
                       const protocol::job_shape& now) {
  // Only checkpoints depend on the shape: a store without one restores
  // nothing, whatever shape it recorded.
  auto completed = store.completed();
  if (!completed)
    return std::move(completed.error());
  if (completed->empty())
    return caf::none;
  auto recorded = store.shape();
  if (!recorded)
    return std::move(recorded.error());
  if (!*recorded)
    return caf::none;
  protocol::job_shape before;
  if (auto err = from_bytes(**recorded, store.path() + ": job shape", before))
    return err;
  auto changed = protocol::changes(before, now);
  if (changed.empty())
    return caf::none;
  std::string text = "job '" + job + "' cannot resume from the checkpoints in '"
                     + store.path() + "': they were taken with another shape ";
  for (size_t i = 0; i < changed.size(); ++i)
    text += (i == 0 ? "(" : "; ") + changed[i];
  text += "). Run the job as it was, or with --fresh (resume::fresh()) to "
          "start over";
  return caf::make_error(errc::shape_changed, text);
}

caf::error record_shape(checkpoint_store& store,
                        const protocol::job_shape& now) {
  return store.record_shape(to_bytes(now));
}

} // namespace sluice::state
