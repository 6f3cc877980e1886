#pragma once

#include "config/metrics_settings.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

namespace sluice::observability {

/// Where a job's metrics server listens and how it samples. Nothing
/// listens unless an application makes a `metrics_server`.
struct metrics_server_settings {
  /// Address to bind; loopback keeps the page on this machine.
  std::string host = "127.0.0.1";
  /// TCP port; 0: any free port (`metrics_server::port` tells which).
  uint16_t port = 0;
  /// Time between samples of the job's counters.
  std::chrono::nanoseconds sample_every = std::chrono::seconds{1};
  /// Time rates and backpressured shares are measured over.
  std::chrono::nanoseconds rate_window = std::chrono::seconds{5};
  /// Time a client has to send its request and receive the answer; then
  /// its connection closes. One thread serves every client at once, so a
  /// slow one delays no one else.
  std::chrono::nanoseconds request_timeout = std::chrono::seconds{5};
  /// Open connections at most; one more closes the oldest.
  size_t max_connections = 64;
};

/// The address a job file's `[metrics]` section names; sampling as by
/// default. That section's port 0 means no endpoint at all: check
/// `enabled()` first (or call `serve_metrics`).
inline metrics_server_settings
server_settings(const config::metrics_settings& section) {
  metrics_server_settings result;
  result.host = section.bind;
  result.port = section.port;
  result.request_timeout = section.request_timeout;
  return result;
}

} // namespace sluice::observability
