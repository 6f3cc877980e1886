#pragma once

#include "protocol/key_groups.hpp"

#include <chrono>
#include <cstdint>
#include <string>

namespace sluice::operators {

/// Where an instance runs; given to the factory that makes its logic.
struct instance_context {
  std::string job;
  std::string stage;
  uint32_t instance = 0;
  uint32_t parallelism = 1;
  uint32_t batch_size = 1024;
  /// Records the instance may hold waiting (rule D4).
  uint64_t budget = 16384;
  protocol::key_groups groups;
  /// Checkpoints run: sinks hold output back until its checkpoint
  /// completed, instead of publishing it at once.
  bool checkpointing = false;
  /// The user asked to start from the beginning (`--fresh`): a sink may
  /// forget what it committed before instead of refusing (rule S7).
  bool start_over = false;

  /// "stage 'count' instance 1/2", for messages.
  std::string where() const {
    return "stage '" + stage + "' instance " + std::to_string(instance) + "/"
           + std::to_string(parallelism);
  }
};

} // namespace sluice::operators
