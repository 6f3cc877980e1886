#pragma once

#include <cstdint>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace sluice::testing {

/// A raw TCP connection to 127.0.0.1:`port`; -1 if it failed.
inline int connect_to(uint16_t port) {
  auto fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

/// Whether the other end closed connection `fd`: it reads as ended or
/// reset. Does not wait; whatever else there is to read is consumed.
inline bool closed_by_peer(int fd) {
  for (;;) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 0) <= 0)
      return false;
    char buf[512];
    auto n = ::recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
    if (n <= 0)
      return true;
  }
}

} // namespace sluice::testing
