#pragma once

#include <chrono>
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
  /// Threads answering HTTP requests.
  uint32_t http_threads = 2;
};

} // namespace sluice::observability
