#pragma once

#include "protocol/partitioning.hpp"

#include <caf/expected.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <typeinfo>
#include <vector>

namespace sluice::protocol {

/// What a stage does in the dataflow.
enum class stage_role : uint8_t {
  source,    ///< Produces records; has no input.
  transform, ///< Consumes and produces records.
  sink,      ///< Consumes records; has no output.
};

std::string to_string(stage_role x);

/// An edge into a stage, by the name of the stage it reads from.
struct input_edge {
  input_edge(std::string from_stage, std::optional<partitioning> how = {})
      : from(std::move(from_stage)), by(how) {}

  std::string from;
  /// Unset: forward between equal parallelisms, rebalance otherwise.
  std::optional<partitioning> by;
};

/// A stage as declared, before validation: names, types and numbers only.
struct stage_node {
  std::string name;
  stage_role role = stage_role::transform;
  uint32_t parallelism = 1;
  /// Largest parallelism the stage supports (0: no limit).
  uint32_t max_parallelism = 0;
  uint32_t batch_size = 1024;
  /// Records the stage's instances may hold waiting, each (rule D4).
  uint64_t budget = 16384;
  const std::type_info* input_type = nullptr;  ///< Null for sources.
  const std::type_info* output_type = nullptr; ///< Null for sinks.
  std::vector<input_edge> inputs;
};

/// The other end of a channel.
struct channel_end {
  uint32_t stage = 0;
  uint32_t instance = 0;
  uint32_t slot
    = 0; ///< The input slot at a consumer, output slot at a producer.

  friend bool operator==(const channel_end& x, const channel_end& y) {
    return x.stage == y.stage && x.instance == y.instance && x.slot == y.slot;
  }
};

/// The channels of one stage instance, by slot.
struct instance_channels {
  std::vector<channel_end> inputs;  ///< input slot -> producer
  std::vector<channel_end> outputs; ///< output slot -> consumer
};

/// A resolved edge.
struct edge {
  uint32_t from = 0;
  uint32_t to = 0;
  uint32_t input = 0; ///< Index of this edge in the consumer's inputs.
  partitioning by = partitioning::forward;
};

/// A validated job graph: stages in topological order and every channel.
struct topology {
  std::vector<uint32_t> order; ///< Sources first.
  std::vector<edge> edges;
  std::vector<std::vector<uint32_t>> out_edges; ///< Per stage, in slot order.
  std::vector<std::vector<instance_channels>> instances; ///< [stage][instance]
};

/// Checks a graph and lays out its channels (rules D1, D8). Errors name the
/// stage at fault: a duplicate name, a parallelism or batch size of 0, a
/// stage without input, an input from an unknown stage or a sink, a type
/// mismatch, a cycle, a forward edge between unequal parallelisms, a budget
/// that cannot hold a full batch per input channel (rule D4).
[[nodiscard]] caf::expected<topology>
plan_topology(const std::vector<stage_node>& stages, uint32_t key_groups);

} // namespace sluice::protocol
