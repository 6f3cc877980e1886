#pragma once

#include "protocol/job_shape.hpp"
#include "state/checkpoint_store.hpp"

#include <caf/error.hpp>

#include <string>

namespace sluice::state {

/// Rule S6: whether the checkpoints in `store` restore into job `job`
/// shaped `now`. `errc::shape_changed` names every change and the ways
/// out; none when nothing changed, the store holds no completed checkpoint,
/// or it recorded no shape (it was written before shapes were recorded).
[[nodiscard]] caf::error check_shape(checkpoint_store& store,
                                     const std::string& job,
                                     const protocol::job_shape& now);

/// Records `now` as the shape of the checkpoints `store` holds from now on.
[[nodiscard]] caf::error record_shape(checkpoint_store& store,
                                      const protocol::job_shape& now);

} // namespace sluice::state
