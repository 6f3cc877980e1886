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

std::vector<const std::atomic<int>*>
worker_affinity::local_only(const caf::node_id& here,
                            const std::vector<caf::actor>& peers,
                            std::vector<const std::atomic<int>*> workers) {
  for (size_t k = 0; k < peers.size() && k < workers.size(); ++k)
    if (!peers[k] || peers[k].node() != here)
      workers[k] = nullptr;
  return workers;
}

int worker_affinity::worker_of(caf::execution_unit* ctx) const noexcept {
  for (size_t i = 0; i < workers_.size(); ++i)
    if (workers_[i] == ctx)
      return static_cast<int>(i);
  return -1;
}

} // namespace sluice::actors
