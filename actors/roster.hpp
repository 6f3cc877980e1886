#pragma once

#include <caf/actor.hpp>
#include <caf/meta/type_name.hpp>

#include <vector>

namespace sluice::actors {

/// Every instance of a job, sent by the runner to each of them once all are
/// spawned. An instance finds its peers here, by the stage and instance
/// numbers of the job's topology, and then opens its input channels.
struct roster {
  caf::actor runner;
  caf::actor coordinator;                         ///< Null without checkpoints.
  caf::actor store;                               ///< Null without checkpoints.
  std::vector<std::vector<caf::actor>> instances; ///< [stage][instance]
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, roster& x) {
  return f(caf::meta::type_name("sluice::actors::roster"), x.runner,
           x.coordinator, x.store, x.instances);
}

} // namespace sluice::actors
