#include "actors/worker_affinity.hpp"

#include <caf/scheduler/coordinator.hpp>

namespace sluice::actors {

worker_affinity::worker_affinity(caf::actor_system& sys) {
  using coordinator = caf::scheduler::coordinator<caf::policy::work_stealing>;
  auto* c = dynamic_cast<coordinator*>(&sys.scheduler());
  if (c == nullptr)
    return;
  for (size_t i = 0; i < c->num_workers(); ++i)
    workers_.push_back(c->worker_by_id(i));
}

peer_homes::peer_homes(const caf::node_id& here,
                       const std::vector<caf::actor>& peers)
    : home_(peers.size(), -1), local_(peers.size(), false) {
  for (size_t k = 0; k < peers.size(); ++k)
    local_[k] = peers[k] && peers[k].node() == here;
}

int worker_affinity::worker_of(caf::execution_unit* ctx) const noexcept {
  for (size_t i = 0; i < workers_.size(); ++i)
    if (workers_[i] == ctx)
      return static_cast<int>(i);
  return -1;
}

} // namespace sluice::actors
