#pragma once

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <iostream>
#include <iterator>
#include <map>
#include <optional>
#include <ostream>
#include <sstream>
#include <stdexcept>
#include <streambuf>
#include <string>
#include <thread>
#include <vector>

#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

namespace sluice::testing {

/// What a body run in a child process reported, and how the child ended.
struct child_run {
  /// Its exit code (128 + signal); none when it still ran at the limit and
  /// was killed.
  std::optional<int> code;
  /// Everything it wrote to its report stream.
  std::string output;

  /// The report's "KEY: VALUE" lines; a later line wins.
  std::map<std::string, std::string> facts() const {
    std::map<std::string, std::string> result;
    std::istringstream in{output};
    for (std::string line; std::getline(in, line);)
      if (auto at = line.find(": "); at != std::string::npos)
        result[line.substr(0, at)] = line.substr(at + 2);
    return result;
  }
};

/// The body of a child run: reports through the stream, returns the exit
/// code. It may create its own actor system and run jobs.
using child_body = std::function<int(std::ostream&)>;

namespace detail {

/// An unbuffered stream buffer writing to a file descriptor, so that the
/// parent reads a report line as soon as it is written.
class fd_output : public std::streambuf {
public:
  explicit fd_output(int fd) : fd_(fd) {}

protected:
  int_type overflow(int_type c) override {
    if (c == traits_type::eof())
      return traits_type::not_eof(c);
    char x = traits_type::to_char_type(c);
    return put(&x, 1) ? c : traits_type::eof();
  }

  std::streamsize xsputn(const char* s, std::streamsize n) override {
    return put(s, static_cast<size_t>(n)) ? n : 0;
  }

private:
  bool put(const char* s, size_t n) {
    while (n > 0) {
      auto k = ::write(fd_, s, n);
      if (k < 0 && errno == EINTR)
        continue;
      if (k <= 0)
        return false;
      s += k;
      n -= static_cast<size_t>(k);
    }
    return true;
  }

  int fd_;
};

inline int exit_code_of(int status) {
  if (WIFEXITED(status))
    return WEXITSTATUS(status);
  return 128 + WTERMSIG(status);
}

} // namespace detail

/// Runs each body in a forked child process of its own, all at once, and
/// waits until they ended, at most `limit`: a child still running then is
/// killed (SIGKILL). For tests of jobs that may never end: inside a
/// process, a job that does not end keeps `~actor_system` waiting for ever,
/// while a child process can be killed, and the test fails with what the
/// child reported until then.
///
/// A child ends with `_exit` after its body returned (without running the
/// test framework's exit handlers); a body whose job did not end reports
/// that and calls `std::_Exit` itself, since leaving the actor system's
/// scope would wait for the job.
///
/// The test process must run a single thread when it forks (a child gets
/// only the forking thread): no actor system may be alive in it.
inline std::vector<child_run>
run_in_children(const std::vector<child_body>& bodies,
                std::chrono::seconds limit) {
  auto count_threads = [] {
    return std::distance(std::filesystem::directory_iterator{"/proc/self/task"},
                         std::filesystem::directory_iterator{});
  };
  // The threads of an actor system a test before used (a detached actor's
  // thread, say) may still be on their way out.
  auto threads = count_threads();
  for (int i = 0; i < 5000 && threads != 1; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds{1});
    threads = count_threads();
  }
  if (threads != 1)
    throw std::logic_error("run_in_children: the test process runs "
                           + std::to_string(threads)
                           + " threads; fork needs it to run one");
  struct child {
    pid_t pid = -1;
    int fd = -1;
    int status = 0;
    bool reaped = false;
  };
  // What the test process buffered would be written again by each child.
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
  std::vector<child> children(bodies.size());
  std::vector<child_run> runs(bodies.size());
  for (size_t i = 0; i < bodies.size(); ++i) {
    int fds[2];
    if (::pipe(fds) != 0)
      throw std::runtime_error("run_in_children: pipe failed");
    auto pid = ::fork();
    if (pid < 0)
      throw std::runtime_error("run_in_children: fork failed");
    if (pid == 0) {
      // The test framework's handlers would turn a crash into a jump back
      // into its own loop, which would then run further tests in the child.
      for (int sig : {SIGABRT, SIGBUS, SIGFPE, SIGILL, SIGSEGV, SIGSYS, SIGTRAP,
                      SIGALRM, SIGCHLD})
        ::signal(sig, SIG_DFL);
      ::close(fds[0]);
      for (size_t j = 0; j < i; ++j)
        ::close(children[j].fd);
      int code = 70;
      {
        detail::fd_output buf{fds[1]};
        std::ostream report{&buf};
        try {
          code = bodies[i](report);
        } catch (const std::exception& e) {
          report << "exception: " << e.what() << std::endl;
        } catch (...) {
          report << "exception: unknown" << std::endl;
        }
      }
      ::_exit(code);
    }
    ::close(fds[1]);
    children[i].pid = pid;
    children[i].fd = fds[0];
  }
  using clock = std::chrono::steady_clock;
  auto deadline = clock::now() + limit;
  auto open = [&] {
    return std::any_of(children.begin(), children.end(),
                       [](const child& c) { return c.fd >= 0; });
  };
  // Reads every report to its end (the child exited) or to the deadline.
  while (open() && clock::now() < deadline) {
    std::vector<pollfd> fds;
    std::vector<size_t> which;
    for (size_t i = 0; i < children.size(); ++i)
      if (children[i].fd >= 0) {
        fds.push_back(pollfd{children[i].fd, POLLIN, 0});
        which.push_back(i);
      }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - clock::now());
    if (::poll(fds.data(), fds.size(),
               static_cast<int>(std::max<int64_t>(left.count(), 0)))
        <= 0)
      continue;
    for (size_t k = 0; k < fds.size(); ++k) {
      if (fds[k].revents == 0)
        continue;
      auto& c = children[which[k]];
      char buf[4096];
      auto n = ::read(c.fd, buf, sizeof(buf));
      if (n <= 0) {
        ::close(c.fd);
        c.fd = -1;
        continue;
      }
      runs[which[k]].output.append(buf, static_cast<size_t>(n));
    }
  }
  for (size_t i = 0; i < children.size(); ++i) {
    auto& c = children[i];
    // A child whose report ended exits now; give it until the deadline.
    while (c.fd < 0 && !c.reaped) {
      if (::waitpid(c.pid, &c.status, WNOHANG) == c.pid)
        c.reaped = true;
      else if (clock::now() >= deadline)
        break;
      else
        ::usleep(1000);
    }
    if (c.reaped) {
      runs[i].code = detail::exit_code_of(c.status);
    } else {
      ::kill(c.pid, SIGKILL);
      ::waitpid(c.pid, &c.status, 0);
    }
    if (c.fd >= 0)
      ::close(c.fd);
  }
  return runs;
}

/// `run_in_children` for one body.
inline child_run run_in_child(const child_body& body,
                              std::chrono::seconds limit) {
  return run_in_children({body}, limit).front();
}

} // namespace sluice::testing
