#include "observability/http_listener.hpp"

#include "observability/errc.hpp"
#include "observability/http_request_head.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <deque>
#include <vector>

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace sluice::observability {

namespace {

using clock_type = std::chrono::steady_clock;

const char* reason_of(int status) {
  switch (status) {
  case 200:
    return "OK";
  case 400:
    return "Bad Request";
  case 404:
    return "Not Found";
  case 405:
    return "Method Not Allowed";
  case 431:
    return "Request Header Fields Too Large";
  default:
    return "Error";
  }
}

std::string render(const http_response& res, bool with_body) {
  std::string out = "HTTP/1.1 " + std::to_string(res.status) + " "
                    + reason_of(res.status) + "\r\n";
  if (!res.content_type.empty())
    out += "Content-Type: " + res.content_type + "\r\n";
  if (res.no_store)
    out += "Cache-Control: no-store\r\n";
  out += "Content-Length: " + std::to_string(res.body.size())
         + "\r\nConnection: close\r\n\r\n";
  if (with_body)
    out += res.body;
  return out;
}

http_response plain(int status, std::string text) {
  return {status, "text/plain; charset=utf-8", std::move(text), false};
}

/// One client, from its connect to the end of its answer.
struct connection {
  int fd;
  clock_type::time_point deadline;
  http_request_head head;
  std::string out; ///< Empty while reading the request.
  size_t sent = 0;
};

} // namespace

http_listener::http_listener(
  http_limits limits, std::function<http_response(const std::string&)> page)
    : limits_(limits), page_(std::move(page)) {}

http_listener::~http_listener() {
  stop();
  if (listen_fd_ >= 0)
    ::close(listen_fd_);
}

caf::expected<uint16_t> http_listener::bind(const std::string& host,
                                            uint16_t port) {
  auto fail = [&](const std::string& why) {
    return caf::make_error(errc::listen_failed,
                           "metrics server: cannot listen on " + host + ":"
                             + std::to_string(port) + ": " + why);
  };
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  addrinfo* found = nullptr;
  if (auto rc = ::getaddrinfo(host.c_str(), std::to_string(port).c_str(),
                              &hints, &found);
      rc != 0)
    return fail(::gai_strerror(rc));
  std::string why = "no address";
  for (auto* a = found; a != nullptr && listen_fd_ < 0; a = a->ai_next) {
    int fd
      = ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                 a->ai_protocol);
    if (fd < 0) {
      why = std::strerror(errno);
      continue;
    }
    // SO_REUSEADDR only: with SO_REUSEPORT a second server on the same
    // port would share it silently instead of failing.
    int yes = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    if (::bind(fd, a->ai_addr, a->ai_addrlen) != 0 || ::listen(fd, 128) != 0) {
      why = std::strerror(errno);
      ::close(fd);
      continue;
    }
    listen_fd_ = fd;
  }
  ::freeaddrinfo(found);
  if (listen_fd_ < 0)
    return fail(why);
  sockaddr_storage bound{};
  socklen_t len = sizeof(bound);
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&bound), &len);
  if (bound.ss_family == AF_INET6)
    return ntohs(reinterpret_cast<sockaddr_in6&>(bound).sin6_port);
  return ntohs(reinterpret_cast<sockaddr_in&>(bound).sin_port);
}

void http_listener::start() {
  int fds[2];
  if (listen_fd_ < 0 || thread_.joinable()
      || ::pipe2(fds, O_NONBLOCK | O_CLOEXEC) != 0)
    return;
  wake_read_ = fds[0];
  wake_write_ = fds[1];
  thread_ = std::thread{[this] { run(); }};
}

void http_listener::stop() {
  stopping_ = true;
  if (wake_write_ >= 0) {
    char c = 1;
    [[maybe_unused]] auto n = ::write(wake_write_, &c, 1);
  }
  if (thread_.joinable())
    thread_.join();
  for (int* fd : {&wake_read_, &wake_write_})
    if (*fd >= 0) {
      ::close(*fd);
      *fd = -1;
    }
}

void http_listener::run() {
  std::deque<connection> conns; // oldest first
  std::vector<pollfd> polled;
  auto close_at = [&](size_t i) {
    ::close(conns[i].fd);
    conns.erase(conns.begin() + static_cast<std::ptrdiff_t>(i));
  };
  while (!stopping_) {
    polled.clear();
    polled.push_back({wake_read_, POLLIN, 0});
    polled.push_back({listen_fd_, POLLIN, 0});
    auto now = clock_type::now();
    auto wait = std::chrono::milliseconds{-1};
    for (auto& c : conns) {
      polled.push_back(
        {c.fd, static_cast<short>(c.out.empty() ? POLLIN : POLLOUT), 0});
      auto left
        = std::chrono::ceil<std::chrono::milliseconds>(c.deadline - now);
      left = std::max(left, std::chrono::milliseconds{0});
      wait = wait.count() < 0 ? left : std::min(wait, left);
    }
    if (::poll(polled.data(), polled.size(), static_cast<int>(wait.count())) < 0
        && errno != EINTR)
      break;
    if (stopping_)
      break;
    now = clock_type::now();
    // Connections first: indexes in `polled` are theirs plus two.
    for (size_t i = conns.size(); i-- > 0;) {
      auto& c = conns[i];
      auto events = polled[i + 2].revents;
      if (events == 0)
        continue;
      if (c.out.empty()) {
        char buf[4096];
        auto n = ::recv(c.fd, buf, sizeof(buf), 0);
        if (n <= 0) {
          if (n == 0 || (errno != EAGAIN && errno != EINTR))
            close_at(i);
          continue;
        }
        using state = http_request_head::state;
        auto st = c.head.on_bytes({buf, static_cast<size_t>(n)});
        if (st == state::reading)
          continue;
        http_response res;
        bool with_body = true;
        if (st == state::too_large)
          res = plain(431, "request head too large\n");
        else if (st == state::bad_request)
          res = plain(400, "bad request\n");
        else if (c.head.method() == "GET" || c.head.method() == "HEAD") {
          with_body = c.head.method() == "GET";
          res = page_(c.head.target());
        } else
          res = plain(405, "only GET\n");
        c.out = render(res, with_body);
      }
      auto n = ::send(c.fd, c.out.data() + c.sent, c.out.size() - c.sent,
                      MSG_NOSIGNAL);
      if (n < 0 && errno != EAGAIN && errno != EINTR) {
        close_at(i);
        continue;
      }
      if (n > 0)
        c.sent += static_cast<size_t>(n);
      if (c.sent == c.out.size()) {
        // All sent: end the stream so the client reads to its end.
        ::shutdown(c.fd, SHUT_WR);
        close_at(i);
      }
    }
    // Overdue connections end, whatever they were doing.
    for (size_t i = conns.size(); i-- > 0;)
      if (conns[i].deadline <= now)
        close_at(i);
    if (polled[1].revents != 0) {
      for (;;) {
        int fd = ::accept4(listen_fd_, nullptr, nullptr,
                           SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
          // Out of descriptors: the oldest client makes room, so that the
          // port does not stay readable and spin this loop.
          if ((errno == EMFILE || errno == ENFILE) && !conns.empty()) {
            close_at(0);
            continue;
          }
          break;
        }
        int yes = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof(yes));
        conns.push_back({fd,
                         now + limits_.request_timeout,
                         http_request_head{limits_.max_request_bytes},
                         {},
                         0});
        if (conns.size() > std::max<size_t>(limits_.max_connections, 1))
          close_at(0);
      }
    }
  }
  for (auto& c : conns)
    ::close(c.fd);
  ::close(listen_fd_);
  listen_fd_ = -1;
}

} // namespace sluice::observability
