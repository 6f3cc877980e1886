#pragma once

#include "protocol/checkpoint_id.hpp"

#include <caf/meta/type_name.hpp>

#include <chrono>
#include <cstdint>
#include <string>

namespace sluice::actors {

/// What one checkpoint cost, or why it was given up.
struct checkpoint_stats {
  protocol::checkpoint_id id{};
  protocol::snapshot_kind kind = protocol::snapshot_kind::full;
  bool completed = false;
  bool final = false;
  std::chrono::nanoseconds duration{0}; ///< Trigger to completion (or abort).
  uint64_t bytes = 0;                   ///< Snapshot bytes stored.
  std::string reason;                   ///< Why it was aborted.
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, checkpoint_stats& x) {
  return f(caf::meta::type_name("sluice::actors::checkpoint_stats"), x.id,
           x.kind, x.completed, x.final, x.duration, x.bytes, x.reason);
}

} // namespace sluice::actors
