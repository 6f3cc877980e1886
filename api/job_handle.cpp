#include "api/job_handle.hpp"

#include "actors/atoms.hpp"

#include <caf/send.hpp>

namespace sluice {

void job_handle::stop() {
  caf::anon_send(runner_, actors::stop_atom::value);
}

} // namespace sluice
