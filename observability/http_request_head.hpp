#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace sluice::observability {

/// Reads an HTTP request's head (request line and headers) as its bytes
/// arrive, up to the blank line that ends it, never keeping more than
/// `max_bytes`. The metrics endpoint serves GET requests without a body,
/// so the head is all it reads. No I/O, no clock. Not thread-safe.
class http_request_head {
public:
  /// Where reading stands after some bytes arrived.
  enum class state {
    reading,     ///< The head has not ended yet.
    complete,    ///< The head ended: `method()` and `target()` are set.
    too_large,   ///< More than `max_bytes` without an end: answer 431.
    bad_request, ///< The request line is not `METHOD TARGET HTTP/x.y`.
  };

  explicit http_request_head(size_t max_bytes) : max_bytes_(max_bytes) {}

  /// Takes the next bytes of the connection.
  state on_bytes(std::string_view bytes);

  state current() const noexcept { return state_; }

  const std::string& method() const noexcept { return method_; }

  /// The path, without a query.
  const std::string& target() const noexcept { return target_; }

private:
  state parse_request_line();

  size_t max_bytes_;
  std::string buffer_;
  state state_ = state::reading;
  std::string method_;
  std::string target_;
};

} // namespace sluice::observability
