#include "actors/node_listener.hpp"

#include "config/value_parsers.hpp"

#include <caf/all.hpp>
#include <caf/io/basp_broker.hpp>
#include <caf/io/middleman.hpp>
#include <caf/io/middleman_actor_impl.hpp>
#include <caf/io/network/default_multiplexer.hpp>
#include <caf/io/network/doorman_impl.hpp>

#include <algorithm>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

namespace sluice::actors {

namespace {

/// "host:port" as both the socket and CAF's middleman spell it; an IPv4
/// peer on an IPv6 socket counts as the IPv4 address.
std::string endpoint_text(std::string host, uint16_t port) {
  constexpr std::string_view mapped = "::ffff:";
  if (host.compare(0, mapped.size(), mapped) == 0
      && host.find('.') != std::string::npos)
    host.erase(0, mapped.size());
  return host + ":" + std::to_string(port);
}

/// The peer of `socket`, or "" when it has none (closed, or not a socket).
std::string peer_of(int socket) {
  sockaddr_storage addr{};
  socklen_t len = sizeof(addr);
  if (::getpeername(socket, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
    return {};
  char host[INET6_ADDRSTRLEN] = {};
  if (addr.ss_family == AF_INET) {
    auto& v4 = reinterpret_cast<sockaddr_in&>(addr);
    ::inet_ntop(AF_INET, &v4.sin_addr, host, sizeof(host));
    return endpoint_text(host, ntohs(v4.sin_port));
  }
  if (addr.ss_family == AF_INET6) {
    auto& v6 = reinterpret_cast<sockaddr_in6&>(addr);
    ::inet_ntop(AF_INET6, &v6.sin6_addr, host, sizeof(host));
    return endpoint_text(host, ntohs(v6.sin6_port));
  }
  return {};
}

/// CAF's doorman, which first tells the watch of each connection.
class watched_doorman : public caf::io::network::doorman_impl {
public:
  watched_doorman(caf::io::network::default_multiplexer& mx, int socket,
                  std::shared_ptr<connection_watch> watch)
      : doorman_impl(mx, socket), watch_(std::move(watch)) {}

  bool new_connection() override {
    if (!detached())
      watch_->on_accepted(acceptor_.accepted_socket());
    return doorman_impl::new_connection();
  }

private:
  std::shared_ptr<connection_watch> watch_;
};

/// CAF's middleman actor, which opens the port with a `watched_doorman`;
/// publishing itself stays CAF's (the BASP broker's) business.
class watched_middleman : public caf::io::middleman_actor_impl {
public:
  watched_middleman(caf::actor_config& cfg, caf::actor broker,
                    std::shared_ptr<connection_watch> watch)
      : middleman_actor_impl(cfg, std::move(broker)), watch_(std::move(watch)) {
  }

protected:
  caf::expected<caf::io::doorman_ptr> open(uint16_t port, const char* addr,
                                           bool reuse) override {
    auto& mx = static_cast<caf::io::network::default_multiplexer&>(
      system().middleman().backend());
    auto socket = caf::io::network::new_tcp_acceptor_impl(port, addr, reuse);
    if (!socket)
      return std::move(socket.error());
    return caf::make_counted<watched_doorman>(mx, *socket, watch_);
  }

private:
  std::shared_ptr<connection_watch> watch_;
};

} // namespace

connection_watch::connection_watch(caf::io::network::multiplexer& mx,
                                   protocol::admission_limits limits,
                                   std::shared_ptr<event_log> log)
    : mx_(mx), log_(std::move(log)), admission_(limits),
      closings_(std::chrono::seconds{1}) {}

const protocol::admission_limits& connection_watch::limits() const noexcept {
  return admission_.limits();
}

void connection_watch::on_accepted(int socket) {
  auto peer = peer_of(socket);
  std::vector<waiting> evicted;
  {
    std::lock_guard<std::mutex> guard{mtx_};
    auto now = std::chrono::steady_clock::now();
    // Before evicting anyone, forget who left by themselves.
    if (admission_.pending().size() >= admission_.limits().max_pending)
      forget_closed();
    auto before = admission_.pending();
    for (auto id :
         admission_.on_accepted(static_cast<uint64_t>(socket), peer, now))
      for (auto& w : before)
        if (w.id == id)
          evicted.push_back(w);
  }
  shut_down(evicted, std::to_string(admission_.limits().max_pending)
                       + " connections were waiting for a job's hello "
                         "([node] max-pending-connections)");
}

void connection_watch::on_authenticated(const std::string& host,
                                        uint16_t port) {
  std::lock_guard<std::mutex> guard{mtx_};
  admission_.on_authenticated(endpoint_text(host, port));
}

void connection_watch::close_overdue(
  std::chrono::steady_clock::time_point now) {
  mx_.post([self = shared_from_this(), now] {
    std::vector<waiting> overdue;
    {
      std::lock_guard<std::mutex> guard{self->mtx_};
      self->forget_closed();
      auto before = self->admission_.pending();
      for (auto id : self->admission_.expired(now))
        for (auto& w : before)
          if (w.id == id)
            overdue.push_back(w);
    }
    self->shut_down(overdue, "no job's hello within "
                               + config::format_duration(
                                 self->admission_.limits().hello_timeout)
                               + " ([node] hello-timeout)");
  });
}

size_t connection_watch::pending() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return admission_.pending().size();
}

void connection_watch::shut_down(const std::vector<waiting>& which,
                                 const std::string& why) {
  for (auto& w : which) {
    auto socket = static_cast<int>(w.id);
    if (peer_of(socket) != w.peer)
      continue;
    // CAF sees the connection end and cleans up as after any peer's close.
    ::shutdown(socket, SHUT_RDWR);
    std::lock_guard<std::mutex> guard{mtx_};
    auto verdict = closings_.on_line(std::chrono::steady_clock::now());
    if (!verdict.write)
      continue;
    auto line = "closed the connection from " + w.peer + ": " + why;
    if (verdict.left_out > 0)
      line += " (and " + std::to_string(verdict.left_out)
              + " more like it left out of the log)";
    log_->info(line);
  }
}

void connection_watch::forget_closed() {
  std::vector<uint64_t> gone;
  for (auto& w : admission_.pending())
    if (peer_of(static_cast<int>(w.id)) != w.peer)
      gone.push_back(w.id);
  for (auto id : gone)
    admission_.on_closed(id);
}

caf::expected<uint16_t>
listen_for_jobs(caf::actor_system& sys, const caf::actor& gate,
                const std::string& host, uint16_t port,
                std::shared_ptr<connection_watch> watch) {
  auto broker = caf::actor_cast<caf::actor>(
    sys.middleman().named_broker<caf::io::basp_broker>(caf::atom("BASP")));
  auto mm = sys.spawn<watched_middleman, caf::hidden>(broker, std::move(watch));
  caf::expected<uint16_t> result{caf::make_error(caf::sec::runtime_error)};
  caf::scoped_actor self{sys};
  self
    ->request(mm, caf::infinite, caf::publish_atom::value, port,
              caf::actor_cast<caf::strong_actor_ptr>(gate),
              std::set<std::string>{}, host, true)
    .receive([&](uint16_t bound) { result = bound; },
             [&](caf::error& err) { result = std::move(err); });
  // The port belongs to the BASP broker now; this helper has done its part.
  self->send_exit(mm, caf::exit_reason::user_shutdown);
  return result;
}

} // namespace sluice::actors
