#pragma once

#include "operators/stage_factory.hpp"
#include "protocol/job_graph.hpp"

#include <chrono>
#include <memory>
#include <optional>
#include <vector>

namespace sluice {

/// A stage as the builder collects it: its graph node, the settings it
/// overrides, and what makes its instances.
struct stage_decl {
  /// Name, role, types and inputs. Parallelism, batch size and budget are
  /// filled from the overrides below or the job's settings when it starts.
  protocol::stage_node node;
  std::optional<uint32_t> parallelism;
  std::optional<uint32_t> batch_size;
  std::optional<uint64_t> budget;
  std::optional<std::chrono::nanoseconds> linger;
  std::shared_ptr<const operators::stage_factory> factory;
  /// Per input: the key route of a hash edge, else null.
  std::vector<std::shared_ptr<const operators::edge_route_base>> routes;
  /// Fed by application actors (`job_builder::ingress`).
  bool ingress = false;
};

} // namespace sluice
