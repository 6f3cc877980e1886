#pragma once

#include "actors/event_log.hpp"
#include "protocol/connection_admission.hpp"
#include "protocol/log_throttle.hpp"

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/expected.hpp>
#include <caf/io/fwd.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace sluice::actors {

/// A node's connections whose peer has not authenticated yet (rule N6),
/// as `protocol::connection_admission` decides: closed once their hello is
/// overdue, the oldest closed when too many wait. Shared by the listener,
/// which sees connections arrive on the middleman's thread, and the
/// `node_actor`, which sees jobs authenticate and keeps the time.
/// Thread-safe. Sockets are closed on the middleman's thread, where CAF
/// opens and closes them, after checking that the socket still has the
/// same peer, so that a number reused for another connection is left
/// alone.
class connection_watch : public std::enable_shared_from_this<connection_watch> {
public:
  connection_watch(caf::io::network::multiplexer& mx,
                   protocol::admission_limits limits,
                   std::shared_ptr<event_log> log);

  const protocol::admission_limits& limits() const noexcept;

  /// On the middleman's thread: a connection arrived on `socket`.
  void on_accepted(int socket);

  /// The peer at `host`:`port` presented the secret (N1).
  void on_authenticated(const std::string& host, uint16_t port);

  /// Closes the connections whose hello is overdue at `now`, and forgets
  /// those that closed by themselves.
  void close_overdue(std::chrono::steady_clock::time_point now);

  /// Connections waiting for their hello, for tests.
  size_t pending() const;

private:
  using waiting = protocol::connection_admission::waiting;

  /// On the middleman's thread: shuts down each socket that still has the
  /// peer it had, saying `why` in the log.
  void shut_down(const std::vector<waiting>& which, const std::string& why);

  /// Forgets waiting connections whose socket closed or changed peer.
  void forget_closed();

  caf::io::network::multiplexer& mx_;
  std::shared_ptr<event_log> log_;
  mutable std::mutex mtx_;
  protocol::connection_admission admission_;
  protocol::log_throttle closings_;
};

/// Publishes `gate` on `host`:`port` (0: any free port) with BASP, as
/// `middleman().publish` does, but every accepted connection goes through
/// `watch` first (N6); the bound port.
[[nodiscard]] caf::expected<uint16_t>
listen_for_jobs(caf::actor_system& sys, const caf::actor& gate,
                const std::string& host, uint16_t port,
                std::shared_ptr<connection_watch> watch);

} // namespace sluice::actors
