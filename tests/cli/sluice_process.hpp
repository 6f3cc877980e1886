#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include <sys/types.h>

namespace sluice::testing {

/// The `sluice` command run as a child process, with its standard output
/// and standard error read separately. Killed (SIGKILL) when destroyed
/// while still running.
class sluice_process {
public:
  /// Starts `sluice ARGS...`.
  explicit sluice_process(const std::vector<std::string>& args);
  ~sluice_process();
  sluice_process(const sluice_process&) = delete;
  sluice_process& operator=(const sluice_process&) = delete;

  /// Reads until a line of standard error satisfies `pred` (true), or the
  /// output ends or `timeout` passes (false).
  bool wait_for_error_line(const std::function<bool(const std::string&)>& pred,
                           std::chrono::milliseconds timeout
                           = std::chrono::milliseconds{60000});

  void signal(int sig);

  /// Reads both outputs to their end and waits for the exit: the exit
  /// code, or 128 + the signal that ended it.
  int wait();

  const std::string& out() const noexcept { return out_; }
  const std::string& err() const noexcept { return err_; }

private:
  /// Reads what is there, waiting at most `timeout`; false at the end of
  /// both outputs.
  bool read_some(std::chrono::milliseconds timeout);

  pid_t pid_ = -1;
  int out_fd_ = -1;
  int err_fd_ = -1;
  bool reaped_ = false;
  int status_ = 0;
  std::string out_;
  std::string err_;
  size_t err_scanned_ = 0;
};

/// What a finished run printed and returned.
struct sluice_result {
  int code = -1;
  std::string out;
  std::string err;
};

/// Runs `sluice ARGS...` to its end.
sluice_result run_sluice(const std::vector<std::string>& args);

/// Runs `sluice ARGS...` on a pseudo-terminal (both outputs go to it) to
/// its end: what the terminal showed and the exit code.
sluice_result run_sluice_on_terminal(const std::vector<std::string>& args);

} // namespace sluice::testing
