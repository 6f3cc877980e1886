#include "cli/listen_check.hpp"

#include <cerrno>
#include <cstring>

#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

namespace sluice::cli {

std::optional<std::string> listen_problem(const std::string& host,
                                          uint16_t port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  auto service = std::to_string(port);
  if (auto rc = ::getaddrinfo(host.c_str(), service.c_str(), &hints, &found);
      rc != 0)
    return std::string{::gai_strerror(rc)};
  std::optional<std::string> problem = "no address";
  for (auto* a = found; a != nullptr && problem; a = a->ai_next) {
    int fd
      = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) {
      problem = std::strerror(errno);
      continue;
    }
    // As the HTTP server binds: connections of an earlier run in TIME_WAIT
    // do not keep the port.
    int on = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
    if (::bind(fd, a->ai_addr, a->ai_addrlen) == 0 && ::listen(fd, 1) == 0)
      problem.reset();
    else
      problem = std::strerror(errno);
    ::close(fd);
  }
  ::freeaddrinfo(found);
  return problem;
}

} // namespace sluice::cli
