#pragma once

#include <caf/expected.hpp>

#include <chrono>
#include <string>

namespace sluice::observability {

/// The parts of an `http://host[:port][/path]` URL; other schemes and
/// user info are rejected.
struct http_url {
  std::string host;
  uint16_t port = 80;
  std::string path = "/"; ///< Always starts with '/'.
};

[[nodiscard]] caf::expected<http_url> parse_http_url(const std::string& text);

/// The body of `GET url`, or why there is none (no connection, a status
/// other than 200). Gives up after `timeout` without an answer.
[[nodiscard]] caf::expected<std::string>
http_get(const http_url& url, std::chrono::milliseconds timeout);

} // namespace sluice::observability
