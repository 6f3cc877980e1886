#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>

namespace sluice::testing {

/// Holds the threads that call `pass` (an operator's or a source's code,
/// inside its actor) until the test calls `open`: a stage stuck on
/// purpose, for as long as the test looks at the rest of the job.
class gate {
public:
  /// Blocks until the gate is open.
  void pass() {
    std::unique_lock<std::mutex> guard{mtx_};
    ++waiting_;
    cv_.notify_all();
    cv_.wait(guard, [this] { return open_; });
  }

  /// Waits until a thread is held in `pass`, or `timeout` passed; true in
  /// the first case.
  bool wait_for_arrival(std::chrono::nanoseconds timeout) {
    std::unique_lock<std::mutex> guard{mtx_};
    return cv_.wait_for(guard, timeout, [this] { return waiting_ > 0; });
  }

  void open() {
    std::lock_guard<std::mutex> guard{mtx_};
    open_ = true;
    cv_.notify_all();
  }

private:
  std::mutex mtx_;
  std::condition_variable cv_;
  bool open_ = false;
  int waiting_ = 0;
};

/// Opens a gate when it leaves its scope, so that a failed check does not
/// leave an actor blocked in it and the job unable to stop. Declare it
/// after the job's `stop_on_exit`, so that it runs first.
class open_on_exit {
public:
  explicit open_on_exit(gate& g) : gate_(g) {}
  open_on_exit(const open_on_exit&) = delete;
  open_on_exit& operator=(const open_on_exit&) = delete;
  ~open_on_exit() { gate_.open(); }

private:
  gate& gate_;
};

} // namespace sluice::testing
