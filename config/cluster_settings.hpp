#pragma once

#include "config/ini_document.hpp"

#include <caf/error.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::config {

/// A node a job watches: `NAME = HOST:PORT` in the job file's `[nodes]`.
struct node_address {
  std::string name;
  std::string host;
  uint16_t port = 0;
  /// The entry that named it, for errors.
  source_position where;
};

/// "127.0.0.1:7001".
std::string to_string(const node_address& x);

/// How a job and its nodes find and trust each other (`[cluster]`, the same
/// section in job files and node files), and which nodes the job has
/// (`[nodes]`, job files only).
struct cluster_settings {
  std::vector<node_address> nodes;
  /// Shared by a job and its nodes; a node refuses a job that does not
  /// present it. Empty on both sides: no check.
  std::string secret;
  /// How often each side of a connection shows it is alive, and how long
  /// silence lasts before the connection counts as lost: without both, a
  /// hung node (rather than a dead one) is never noticed.
  std::chrono::nanoseconds heartbeat_interval{std::chrono::seconds{1}};
  std::chrono::nanoseconds connection_timeout{std::chrono::seconds{5}};
  /// How long a job waits before it tries an unreachable or lost node again.
  std::chrono::nanoseconds reconnect_interval{std::chrono::seconds{1}};

  bool enabled() const noexcept { return !nodes.empty(); }
};

/// Parses "HOST:PORT" with a port from 1 to 65535; a host may be a name, an
/// IPv4 address or a bracketed IPv6 address ("[::1]:7001").
std::optional<std::pair<std::string, uint16_t>>
parse_host_port(std::string_view text);

/// Reads a job file's `[nodes]` section: one `NAME = HOST:PORT` per node.
/// A bad name or address is an error naming file, line and key.
[[nodiscard]] caf::error read_nodes_section(const ini_section& section,
                                            std::vector<node_address>& into);

} // namespace sluice::config
