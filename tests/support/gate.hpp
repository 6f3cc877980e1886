#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
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

/// Holds the thread that calls `pass` each time, until the test lets that
/// one arrival go on: a stage that stops at points the test chose, for as
/// long as the test looks at the rest of the job, and then goes on.
class turnstile {
public:
  /// Blocks until the test let this arrival pass (or opened for good).
  void pass() {
    std::unique_lock<std::mutex> guard{mtx_};
    auto me = ++arrived_;
    cv_.notify_all();
    cv_.wait(guard, [this, me] { return open_ || passed_ >= me; });
  }

  /// Waits until `n` arrivals in all came, or `timeout` passed; true in the
  /// first case.
  bool wait_for_arrival(uint64_t n, std::chrono::nanoseconds timeout) {
    std::unique_lock<std::mutex> guard{mtx_};
    return cv_.wait_for(guard, timeout, [this, n] { return arrived_ >= n; });
  }

  /// Lets the next waiting (or the next coming) arrival pass.
  void let_one_pass() {
    std::lock_guard<std::mutex> guard{mtx_};
    ++passed_;
    cv_.notify_all();
  }

  /// Lets every arrival pass from now on.
  void open() {
    std::lock_guard<std::mutex> guard{mtx_};
    open_ = true;
    cv_.notify_all();
  }

private:
  std::mutex mtx_;
  std::condition_variable cv_;
  bool open_ = false;
  uint64_t arrived_ = 0;
  uint64_t passed_ = 0;
};

/// Opens a gate when it leaves its scope, so that a failed check does not
/// leave an actor blocked in it and the job unable to stop. Declare it
/// after the job's `stop_on_exit`, so that it runs first.
template <class Gate>
class basic_open_on_exit {
public:
  explicit basic_open_on_exit(Gate& g) : gate_(g) {}
  basic_open_on_exit(const basic_open_on_exit&) = delete;
  basic_open_on_exit& operator=(const basic_open_on_exit&) = delete;
  ~basic_open_on_exit() { gate_.open(); }

private:
  Gate& gate_;
};

using open_on_exit = basic_open_on_exit<gate>;
using open_turnstile_on_exit = basic_open_on_exit<turnstile>;

} // namespace sluice::testing
