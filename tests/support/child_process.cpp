#include "tests/support/child_process.hpp"

#include <cerrno>
#include <csignal>
#include <stdexcept>

#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

namespace sluice::testing {

child_process::child_process(std::vector<std::string> argv) {
  int fds[2];
  if (::pipe(fds) != 0)
    throw std::runtime_error("pipe failed");
  pid_ = ::fork();
  if (pid_ < 0)
    throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    ::dup2(fds[1], STDOUT_FILENO);
    ::close(fds[0]);
    ::close(fds[1]);
    std::vector<char*> args;
    for (auto& a : argv)
      args.push_back(a.data());
    args.push_back(nullptr);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  ::close(fds[1]);
  stdout_ = fds[0];
}

child_process::~child_process() {
  kill();
  if (stdout_ >= 0)
    ::close(stdout_);
}

bool child_process::wait_for_line(const std::string& line,
                                  std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto pos = output_.find('\n', scanned_);
    while (pos != std::string::npos) {
      if (output_.compare(scanned_, pos - scanned_, line) == 0) {
        scanned_ = pos + 1;
        return true;
      }
      scanned_ = pos + 1;
      pos = output_.find('\n', scanned_);
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0)
      return false;
    pollfd p{stdout_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0)
      return false;
    char buf[4096];
    auto n = ::read(stdout_, buf, sizeof(buf));
    if (n <= 0)
      return false;
    output_.append(buf, static_cast<size_t>(n));
  }
}

void child_process::signal(int sig) {
  if (!reaped_)
    ::kill(pid_, sig);
}

void child_process::kill() {
  if (reaped_ || pid_ <= 0)
    return;
  ::kill(pid_, SIGKILL);
  wait();
}

int child_process::wait() {
  if (!reaped_) {
    while (::waitpid(pid_, &status_, 0) < 0 && errno == EINTR) {
    }
    reaped_ = true;
  }
  if (WIFEXITED(status_))
    return WEXITSTATUS(status_);
  return 128 + WTERMSIG(status_);
}

} // namespace sluice::testing
