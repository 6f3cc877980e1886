#pragma once

#include "config/engine_settings.hpp"

#include <caf/expected.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace sluice::config {

/// A worker node as its node file describes it (`sluice node NODE.ini`):
///
///     [node]
///     name = worker_a        ; default: the file's name without .ini
///     bind = 127.0.0.1       ; default: the loopback interface
///     port = 7001            ; 0: any free port, printed at start
///     hello-timeout = 5s     ; a connection without a job's hello closes
///     max-pending-connections = 64 ; then the oldest waiting one closes
///
/// plus `[cluster]` (secret, heartbeats), `[log]` and `[scheduler]`, the
/// same sections and keys as in job files.
struct node_spec {
  std::string file;
  std::string name;
  std::string bind = "127.0.0.1";
  uint16_t port = 0;
  /// How long a connection may go without presenting a job's secret
  /// before the node closes it (rule N6).
  std::chrono::nanoseconds hello_timeout{std::chrono::seconds{5}};
  /// Connections without a job's secret yet, at most; one more closes the
  /// oldest of them (rule N6).
  size_t max_pending_connections = 64;
  /// Only `cluster`, `log` and `scheduler` apply to a node.
  engine_settings settings;
};

/// Reads and validates a node file; `overrides` are `--section.key=value`
/// settings of the engine sections a node file may have. Errors name file,
/// line and key.
[[nodiscard]] caf::expected<node_spec>
read_node_file(const std::string& path,
               const std::vector<std::string>& overrides);

} // namespace sluice::config
