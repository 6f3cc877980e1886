#pragma once

#include <chrono>
#include <cstdint>

namespace sluice::protocol {

/// Whether a line of a kind that peers can provoke (a refused job, a
/// dropped message) may go to the log now (rule N5). At most one line per
/// `interval`; the lines left out are counted and reported by the next one
/// written, so that a flood cannot fill the disk yet nothing goes unseen.
/// Time comes in with each call. Not thread-safe.
class log_throttle {
public:
  using time_point = std::chrono::steady_clock::time_point;

  /// What to do with one line.
  struct verdict {
    /// Write the line.
    bool write = false;
    /// Lines left out since the last one written; the line written reports
    /// them (0 when it does not write).
    uint64_t left_out = 0;
  };

  explicit log_throttle(std::chrono::nanoseconds interval)
      : interval_(interval) {}

  /// One line wants to go to the log at `now`.
  [[nodiscard]] verdict on_line(time_point now);

  /// Lines left out and not reported yet.
  uint64_t pending() const noexcept { return left_out_; }

private:
  std::chrono::nanoseconds interval_;
  bool wrote_ = false;
  time_point last_written_{};
  uint64_t left_out_ = 0;
};

} // namespace sluice::protocol
