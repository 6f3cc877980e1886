#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace sluice::config {

/// Where a process running jobs serves its metrics (a Prometheus text page
/// over HTTP). Off unless a port is set.
struct metrics_settings {
  /// Address to listen on; the loopback interface unless set otherwise.
  std::string bind = "127.0.0.1";
  /// TCP port; 0: no metrics endpoint.
  uint16_t port = 0;
  /// Time a client has to send its request and receive the page.
  std::chrono::nanoseconds request_timeout{std::chrono::seconds{5}};

  bool enabled() const noexcept { return port != 0; }
};

} // namespace sluice::config
