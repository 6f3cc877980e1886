#include "config/fault_settings.hpp"

namespace sluice::config {

std::string to_string(checkpoint_phase x) {
  switch (x) {
  case checkpoint_phase::before_snapshot:
    return "before-snapshot";
  case checkpoint_phase::after_snapshot:
    return "after-snapshot";
  case checkpoint_phase::before_commit:
    return "before-commit";
  case checkpoint_phase::after_commit:
    return "after-commit";
  }
  return "checkpoint_phase(" + std::to_string(static_cast<int>(x)) + ")";
}

std::optional<checkpoint_phase> parse_checkpoint_phase(std::string_view text) {
  for (auto x :
       {checkpoint_phase::before_snapshot, checkpoint_phase::after_snapshot,
        checkpoint_phase::before_commit, checkpoint_phase::after_commit})
    if (text == to_string(x))
      return x;
  return std::nullopt;
}

} // namespace sluice::config
