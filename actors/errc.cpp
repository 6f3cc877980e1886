#include "actors/errc.hpp"

namespace sluice::actors {

std::string to_string(errc x) {
  switch (x) {
  case errc::operator_failed:
    return "operator_failed";
  case errc::start_failed:
    return "start_failed";
  case errc::protocol_violation:
    return "protocol_violation";
  case errc::checkpoint_aborted:
    return "checkpoint_aborted";
  case errc::injected_fault:
    return "injected_fault";
  case errc::too_many_restarts:
    return "too_many_restarts";
  case errc::node_refused:
    return "node_refused";
  }
  return "errc(" + std::to_string(static_cast<int>(x)) + ")";
}

} // namespace sluice::actors
