#pragma once

#include <chrono>
#include <functional>
#include <optional>
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

  /// As `wait`, but for at most `timeout`: nothing when the process still
  /// runs then (it goes on running).
  std::optional<int> wait_for(std::chrono::milliseconds timeout);

  pid_t pid() const noexcept { return pid_; }

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

/// What a run bounded in time printed, and how it ended.
struct bounded_result {
  /// The exit code (128 + signal); none when the run was still going after
  /// the limit and had to be killed.
  std::optional<int> code;
  /// Killed after the limit: whether SIGTERM, sent first, ended it.
  bool ended_by_sigterm = false;
  std::string out;
  std::string err;

  /// "exited with N", or how long it ran on and what ended it.
  std::string ending() const;
};

/// Runs `sluice ARGS...` to its end, but for no longer than `limit`: a run
/// still going then gets SIGTERM (which stops a job in order), and SIGKILL
/// if it is still going `grace` later. Guards tests against a hanging job;
/// a test asserts the run ended, never how long it took.
bounded_result run_sluice_within(const std::vector<std::string>& args,
                                 std::chrono::seconds limit,
                                 std::chrono::seconds grace
                                 = std::chrono::seconds{5});

/// Runs `sluice ARGS...` on a pseudo-terminal (both outputs go to it) to
/// its end: what the terminal showed and the exit code.
sluice_result run_sluice_on_terminal(const std::vector<std::string>& args);

} // namespace sluice::testing
