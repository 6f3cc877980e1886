#include "connectors/fence_check.hpp"

#include <stdexcept>

namespace sluice::connectors {

void check_fence(const std::string& sink, uint64_t fence,
                 std::optional<protocol::checkpoint_id> restored,
                 bool start_over) {
  auto from = restored ? protocol::to_integer(*restored) : 0;
  if (fence <= from || (!restored && start_over))
    return;
  auto text = sink + " committed checkpoint " + std::to_string(fence);
  if (restored)
    text += ", but the job would resume from the older checkpoint "
            + std::to_string(from)
            + " (the newer ones are damaged or were discarded)";
  else
    text += ", but the job's checkpoint store holds no checkpoint to resume "
            "from (it is new, or lost its history)";
  text += ": what it committed after that would be written again. Restore "
          "the checkpoint store from a copy, or run the job with --fresh "
          "(resume::fresh()) to start over on top of what the sink holds";
  throw std::runtime_error(text);
}

} // namespace sluice::connectors
