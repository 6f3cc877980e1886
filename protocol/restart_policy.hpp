#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <random>

namespace sluice::protocol {

/// The limits of a job's restarts (rules R2, R4).
struct restart_limits {
  /// Restarts allowed within `window`; one more fails the job. 0: a
  /// failure fails the job at once.
  uint32_t max_restarts = 10;
  std::chrono::nanoseconds window{std::chrono::minutes{1}};
  /// Delay before the first restart; doubles with each restart in a row,
  /// up to `max_backoff`.
  std::chrono::nanoseconds initial_backoff{std::chrono::milliseconds{50}};
  std::chrono::nanoseconds max_backoff{std::chrono::seconds{5}};
  /// Each delay varies by up to this share either way, so that restarts of
  /// many jobs do not fall in step.
  double jitter = 0.25;
};

/// How long a job waits before a restart, and whether it may restart at
/// all (rules R2, R4). Time comes in with each call and randomness from a
/// seed, so that a script replays. Not thread-safe.
class restart_policy {
public:
  using time_point = std::chrono::steady_clock::time_point;

  restart_policy(restart_limits limits, uint64_t seed)
      : limits_(limits), random_(seed) {}

  /// R4: whether a failure at `now` may still restart: fewer than
  /// `max_restarts` restarts within the window before it.
  [[nodiscard]] bool allows(time_point now);

  /// R2: counts a restart at `now` and returns the delay before it:
  /// `initial_backoff` doubled for each restart still in the window, at
  /// most `max_backoff`, varied by up to `jitter` either way.
  [[nodiscard]] std::chrono::nanoseconds restart_at(time_point now);

  /// Restarts within the window, as of the last call.
  size_t recent() const noexcept { return restarts_.size(); }

  const restart_limits& limits() const noexcept { return limits_; }

private:
  void forget_before(time_point now);

  restart_limits limits_;
  std::mt19937_64 random_;
  std::deque<time_point> restarts_;
};

} // namespace sluice::protocol
