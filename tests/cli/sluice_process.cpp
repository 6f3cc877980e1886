#include "tests/cli/sluice_process.hpp"

#include <algorithm>
#include <csignal>
#include <stdexcept>

#include <poll.h>
#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>

namespace sluice::testing {

namespace {

std::vector<char*> argv_of(std::vector<std::string>& args) {
  std::vector<char*> result;
  for (auto& a : args)
    result.push_back(a.data());
  result.push_back(nullptr);
  return result;
}

int exit_code(int status) {
  if (WIFEXITED(status))
    return WEXITSTATUS(status);
  if (WIFSIGNALED(status))
    return 128 + WTERMSIG(status);
  return -1;
}

} // namespace

sluice_process::sluice_process(const std::vector<std::string>& args) {
  int out[2];
  int err[2];
  if (::pipe(out) != 0 || ::pipe(err) != 0)
    throw std::runtime_error("pipe failed");
  std::vector<std::string> full{SLUICE_BINARY};
  full.insert(full.end(), args.begin(), args.end());
  auto argv = argv_of(full);
  pid_ = ::fork();
  if (pid_ < 0)
    throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    ::dup2(out[1], STDOUT_FILENO);
    ::dup2(err[1], STDERR_FILENO);
    for (int fd : {out[0], out[1], err[0], err[1]})
      ::close(fd);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(out[1]);
  ::close(err[1]);
  out_fd_ = out[0];
  err_fd_ = err[0];
}

sluice_process::~sluice_process() {
  if (!reaped_ && pid_ > 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, &status_, 0);
  }
  for (int fd : {out_fd_, err_fd_})
    if (fd >= 0)
      ::close(fd);
}

bool sluice_process::read_some(std::chrono::milliseconds timeout) {
  pollfd fds[2] = {{out_fd_, POLLIN, 0}, {err_fd_, POLLIN, 0}};
  if (out_fd_ < 0 && err_fd_ < 0)
    return false;
  if (::poll(fds, 2, static_cast<int>(timeout.count())) <= 0)
    return true; // nothing yet
  char buf[4096];
  for (int i = 0; i < 2; ++i) {
    if (fds[i].fd < 0 || fds[i].revents == 0)
      continue;
    auto n = ::read(fds[i].fd, buf, sizeof(buf));
    auto& fd = i == 0 ? out_fd_ : err_fd_;
    if (n <= 0) {
      ::close(fd);
      fd = -1;
      continue;
    }
    (i == 0 ? out_ : err_).append(buf, static_cast<size_t>(n));
  }
  return out_fd_ >= 0 || err_fd_ >= 0;
}

bool sluice_process::wait_for_error_line(
  const std::function<bool(const std::string&)>& pred,
  std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    for (auto pos = err_.find('\n', err_scanned_); pos != std::string::npos;
         pos = err_.find('\n', err_scanned_)) {
      auto line = err_.substr(err_scanned_, pos - err_scanned_);
      err_scanned_ = pos + 1;
      if (pred(line))
        return true;
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0 || !read_some(left))
      return false;
  }
}

void sluice_process::signal(int sig) {
  if (!reaped_)
    ::kill(pid_, sig);
}

int sluice_process::wait() {
  while (read_some(std::chrono::milliseconds{60000}))
    ; // until both outputs end
  if (!reaped_) {
    ::waitpid(pid_, &status_, 0);
    reaped_ = true;
  }
  return exit_code(status_);
}

std::optional<int> sluice_process::wait_for(std::chrono::milliseconds timeout) {
  using clock = std::chrono::steady_clock;
  auto deadline = clock::now() + timeout;
  auto left = [&] {
    return std::max(std::chrono::milliseconds{0},
                    std::chrono::duration_cast<std::chrono::milliseconds>(
                      deadline - clock::now()));
  };
  // The outputs end when the process exits.
  while (clock::now() < deadline)
    if (!read_some(std::min(left(), std::chrono::milliseconds{100})))
      break;
  for (;;) {
    if (!reaped_ && ::waitpid(pid_, &status_, WNOHANG) == pid_)
      reaped_ = true;
    if (reaped_)
      return exit_code(status_);
    if (left().count() == 0)
      return std::nullopt;
    ::usleep(1000);
  }
}

sluice_result run_sluice(const std::vector<std::string>& args) {
  sluice_process p{args};
  sluice_result result;
  result.code = p.wait();
  result.out = p.out();
  result.err = p.err();
  return result;
}

std::string bounded_result::ending() const {
  if (code)
    return "exited with " + std::to_string(*code);
  return ended_by_sigterm
           ? "did not end in time, and then ended on SIGTERM"
           : "did not end in time, nor on SIGTERM: killed with SIGKILL";
}

bounded_result run_sluice_within(const std::vector<std::string>& args,
                                 std::chrono::seconds limit,
                                 std::chrono::seconds grace) {
  sluice_process p{args};
  bounded_result result;
  result.code = p.wait_for(limit);
  if (!result.code) {
    p.signal(SIGTERM);
    if (p.wait_for(grace)) {
      result.ended_by_sigterm = true;
    } else {
      p.signal(SIGKILL);
      p.wait();
    }
  }
  result.out = p.out();
  result.err = p.err();
  return result;
}

sluice_result run_sluice_on_terminal(const std::vector<std::string>& args) {
  std::vector<std::string> full{SLUICE_BINARY};
  full.insert(full.end(), args.begin(), args.end());
  auto argv = argv_of(full);
  int master = -1;
  auto pid = ::forkpty(&master, nullptr, nullptr, nullptr);
  if (pid < 0)
    throw std::runtime_error("forkpty failed");
  if (pid == 0) {
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  sluice_result result;
  char buf[4096];
  for (;;) {
    auto n = ::read(master, buf, sizeof(buf));
    if (n <= 0)
      break; // EIO once the child closed the terminal
    result.out.append(buf, static_cast<size_t>(n));
  }
  ::close(master);
  int status = 0;
  ::waitpid(pid, &status, 0);
  result.code = exit_code(status);
  return result;
}

} // namespace sluice::testing
