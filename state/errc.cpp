#include "state/errc.hpp"

namespace sluice::state {

std::string to_string(errc x) {
  switch (x) {
  case errc::snapshot_not_found:
    return "snapshot_not_found";
  case errc::corrupt_snapshot:
    return "corrupt_snapshot";
  case errc::storage_failed:
    return "storage_failed";
  case errc::no_checkpoint:
    return "no_checkpoint";
  case errc::state_mismatch:
    return "state_mismatch";
  case errc::shape_changed:
    return "shape_changed";
  }
  return "errc(" + std::to_string(static_cast<int>(x)) + ")";
}

} // namespace sluice::state
