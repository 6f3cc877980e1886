#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::protocol {

/// Limits on a node's connections whose peer has not presented the secret
/// yet (rule N6). `[node] hello-timeout` and `max-pending-connections`.
struct admission_limits {
  /// How long a connection may stay without a job's accepted hello; then
  /// the node closes it.
  std::chrono::nanoseconds hello_timeout{std::chrono::seconds{5}};
  /// Connections waiting for their hello at most; a new one beyond this
  /// closes the oldest waiting one.
  size_t max_pending = 64;
};

/// Which connections of a node to close because their peer never
/// authenticated (rule N6): each waits at most `hello_timeout` for an
/// accepted hello, and at most `max_pending` wait at a time. A connection
/// is known by an id the caller chooses (its socket) and by its peer's
/// address ("127.0.0.1:51234"), which is what identifies an authenticated
/// peer. Time comes in with each call. Not thread-safe.
class connection_admission {
public:
  using time_point = std::chrono::steady_clock::time_point;
  using connection_id = uint64_t;

  explicit connection_admission(admission_limits limits) : limits_(limits) {}

  /// N6: a connection from `peer` arrived at `now`; the connections to
  /// close at once: the oldest waiting ones beyond `max_pending`. A new
  /// connection is never refused, so that a job can join however many
  /// idle connections came before it.
  [[nodiscard]] std::vector<connection_id>
  on_accepted(connection_id id, std::string peer, time_point now);

  /// N1, N6: the peer at `peer` presented the secret; its connection
  /// waits no more. False if none from there was waiting.
  bool on_authenticated(std::string_view peer);

  /// The connection closed, by its peer or by the node.
  void on_closed(connection_id id);

  /// N6: the connections whose hello is overdue at `now`, oldest first;
  /// they count as closed.
  [[nodiscard]] std::vector<connection_id> expired(time_point now);

  /// A connection still waiting for its hello.
  struct waiting {
    connection_id id;
    std::string peer;
    time_point since;
  };

  /// The connections waiting for their hello, oldest first.
  const std::deque<waiting>& pending() const noexcept { return pending_; }

  const admission_limits& limits() const noexcept { return limits_; }

private:
  admission_limits limits_;
  std::deque<waiting> pending_;
};

} // namespace sluice::protocol
