#include "api/job_handle.hpp"

#include "actors/atoms.hpp"

#include <caf/all.hpp>

namespace sluice {

caf::expected<uint64_t> job_handle::checkpoint() {
  caf::scoped_actor self{runner_.home_system()};
  caf::expected<uint64_t> result{uint64_t{0}};
  self->request(runner_, caf::infinite, actors::checkpoint_atom::value)
    .receive([&](uint64_t id) { result = id; },
             [&](caf::error& err) { result = std::move(err); });
  return result;
}

void job_handle::stop() {
  caf::anon_send(runner_, actors::stop_atom::value);
}

} // namespace sluice
