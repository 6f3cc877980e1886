#pragma once

#include <chrono>
#include <string>
#include <vector>

#include <sys/types.h>

namespace sluice::testing {

/// A program run as a child process for fault tests, with its standard
/// output readable line by line. Killed (SIGKILL) when destroyed.
class child_process {
public:
  explicit child_process(std::vector<std::string> argv);
  ~child_process();
  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;

  /// Reads standard output until a line equal to `line` (false on end of
  /// output or after `timeout`).
  bool wait_for_line(const std::string& line,
                     std::chrono::milliseconds timeout
                     = std::chrono::milliseconds{60000});

  /// Sends `signal` without waiting.
  void signal(int sig);

  /// SIGKILL and reap.
  void kill();

  /// Waits for the child to exit; its exit code, or 128 + signal.
  int wait();

  /// Everything read from standard output so far.
  const std::string& output() const noexcept { return output_; }

  pid_t pid() const noexcept { return pid_; }

private:
  pid_t pid_ = -1;
  int stdout_ = -1;
  bool reaped_ = false;
  int status_ = 0;
  std::string output_;
  size_t scanned_ = 0;
};

} // namespace sluice::testing
