#pragma once

#include "protocol/job_graph.hpp"

#include <cereal/cereal.hpp>
#include <cereal/types/string.hpp>
#include <cereal/types/vector.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace sluice::protocol {

/// An edge into a stage as a checkpoint depends on it.
struct input_shape {
  std::string from;
  std::string by; ///< The partitioning, resolved.

  template <class Archive>
  void serialize(Archive& ar, uint32_t /* version */) {
    ar(from, by);
  }

  friend bool operator==(const input_shape& x, const input_shape& y) {
    return x.from == y.from && x.by == y.by;
  }
};

/// A stage as a checkpoint depends on it: its snapshots are per instance,
/// keyed state is split by key group, and state holds its record types.
struct stage_shape {
  std::string name;
  std::string role;
  uint32_t parallelism = 1;
  std::string input_type;  ///< Empty for sources.
  std::string output_type; ///< Empty for sinks.
  std::vector<input_shape> inputs;

  template <class Archive>
  void serialize(Archive& ar, uint32_t /* version */) {
    ar(name, role, parallelism, input_type, output_type, inputs);
  }
};

/// What a job's checkpoints can only be restored into (rule S6): its
/// stages, their parallelism, record types and edges, and the key groups.
/// The store keeps the shape of the job that took its checkpoints.
struct job_shape {
  uint32_t key_groups = 0;
  std::vector<stage_shape> stages; ///< In declaration order.

  template <class Archive>
  void serialize(Archive& ar, uint32_t /* version */) {
    ar(key_groups, stages);
  }
};

/// The shape of a validated graph.
job_shape shape_of(const std::vector<stage_node>& stages, const topology& t,
                   uint32_t key_groups);

/// What changed from `before` to `now`, one readable line each ("stage
/// 'count': parallelism 2, now 1"); empty when a checkpoint of `before`
/// restores into `now`.
std::vector<std::string> changes(const job_shape& before, const job_shape& now);

} // namespace sluice::protocol

CEREAL_CLASS_VERSION(sluice::protocol::input_shape, 1)
CEREAL_CLASS_VERSION(sluice::protocol::stage_shape, 1)
CEREAL_CLASS_VERSION(sluice::protocol::job_shape, 1)
