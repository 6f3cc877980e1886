#pragma once

#include <caf/expected.hpp>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <thread>

namespace sluice::observability {

/// What a page handler answers.
struct http_response {
  int status = 200;
  std::string content_type;
  std::string body;
  /// Adds `Cache-Control: no-store`.
  bool no_store = false;
};

/// Limits that keep slow or idle clients from holding the endpoint.
struct http_limits {
  /// Time a client has from connecting to having received its response:
  /// reading the request and writing the answer. Then the connection is
  /// closed, however far it got.
  std::chrono::nanoseconds request_timeout{std::chrono::seconds{5}};
  /// Open connections at most; one more closes the oldest.
  size_t max_connections = 64;
  /// A request head longer than this is answered 431.
  size_t max_request_bytes = 8192;
};

/// A small HTTP/1.1 server for GET pages: one thread waits on every
/// connection at once (`poll`), so a client that sends a byte now and then
/// holds neither a thread nor anyone else's answer, and each connection
/// ends within `request_timeout`. `stop` returns at once, whatever clients
/// do. One request per connection (`Connection: close`).
class http_listener {
public:
  /// `page` answers a GET (or HEAD) of a path; it runs on the listener's
  /// thread and must not block.
  http_listener(http_limits limits,
                std::function<http_response(const std::string& path)> page);

  ~http_listener();

  http_listener(const http_listener&) = delete;
  http_listener& operator=(const http_listener&) = delete;

  /// Binds `host`:`port` (0: any free port) without sharing the port;
  /// the bound port.
  [[nodiscard]] caf::expected<uint16_t> bind(const std::string& host,
                                             uint16_t port);

  /// Serves on a thread of its own until `stop`.
  void start();

  /// Closes every connection and the port; joins the thread.
  void stop();

private:
  void run();

  http_limits limits_;
  std::function<http_response(const std::string&)> page_;
  int listen_fd_ = -1;
  int wake_read_ = -1;
  int wake_write_ = -1;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

} // namespace sluice::observability
