#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>

namespace sluice::protocol {

/// What a job wants of its checkpoints instead of a fixed interval (rules
/// CI1-CI9). A zero target is not set; a job that sets none keeps its fixed
/// interval.
struct interval_targets {
  /// At most this many records read again after a failure, over all
  /// sources; the sources hold at it (CI8).
  uint64_t max_replay_records = 0;
  /// At most the records read in this much time read again (CI4).
  std::chrono::nanoseconds max_replay_time{0};
  /// At most this share of the time spent with a checkpoint in flight (CI5).
  double max_overhead = 0;
  std::chrono::nanoseconds min_interval{std::chrono::milliseconds{100}};
  std::chrono::nanoseconds max_interval{std::chrono::minutes{5}};

  bool adaptive() const noexcept {
    return max_replay_records > 0 || max_replay_time.count() > 0
           || max_overhead > 0;
  }
};

/// Which rule chose the interval, for the metrics and the event log.
enum class interval_reason : uint8_t {
  fixed,          ///< CI1: no targets; the job's `interval`.
  no_rate_yet,    ///< CI2: nothing measured yet: `min-interval`.
  replay_records, ///< CI3: the records bound at the measured rate.
  replay_time,    ///< CI4: the time bound less the checkpoint's cost.
  overhead,       ///< CI5: the checkpoint's cost over `max-overhead`.
  max_interval,   ///< CI6: nothing asks for more often.
  min_interval,   ///< CI6: a bound asks for more often than allowed.
  lag,            ///< CI7: a source holds at its allowance: due at once.
};

std::string to_string(interval_reason x);

inline std::ostream& operator<<(std::ostream& os, interval_reason x) {
  return os << to_string(x);
}

/// The interval in force and why.
struct interval_choice {
  std::chrono::nanoseconds interval{0};
  interval_reason reason = interval_reason::fixed;
};

/// When the coordinator starts the next checkpoint, adapted to the input
/// rate, the checkpoints' cost and failures (rules CI1-CI9). Time and
/// observations come in as events; no clock, no actors. Runs inside the
/// coordinator; not thread-safe.
class checkpoint_interval_policy {
public:
  using time_point = std::chrono::steady_clock::time_point;
  using duration = std::chrono::nanoseconds;

  /// `fixed`: the job's `interval` (0: only on request), used when
  /// `targets` sets nothing. `sources`: source instances, which share the
  /// records bound (CI8).
  checkpoint_interval_policy(interval_targets targets, duration fixed,
                             uint32_t sources, time_point now);

  /// A checkpoint started at `now`.
  void on_started(time_point now);

  /// A checkpoint was aborted: if sources hold, another is due at once.
  void on_aborted();

  /// A due checkpoint could not start (too many in flight, the job is
  /// finishing): the next is due one interval later.
  void on_skipped(time_point now);

  /// The checkpoint started at `started` completed at `now`; its sources
  /// had read `records` in all when they took their snapshots. True when
  /// the interval changed meaningfully (CI9).
  bool on_completed(time_point started, time_point now, uint64_t records);

  /// A source holds at its allowance (CI7, CI8): a checkpoint is due now.
  bool on_source_held();

  /// A failover: the sources' counts restart at the restored checkpoint,
  /// so the next completion gives no rate (CI2).
  void on_failure();

  /// When the next checkpoint is due; none: only on request.
  std::optional<time_point> due() const;

  const interval_choice& current() const noexcept { return current_; }

  /// Records per source instance beyond its last committed checkpoint
  /// (CI8); 0: no limit.
  uint64_t record_allowance() const noexcept {
    return record_allowance(targets_, sources_);
  }

  /// CI8: `max_replay_records` shared by `sources` instances, at least one
  /// record each; 0: no limit.
  static uint64_t record_allowance(const interval_targets& targets,
                                   uint32_t sources) noexcept;

  /// Input rate, records per second, as estimated (0: not yet).
  double rate() const noexcept { return rate_; }

private:
  interval_choice choose() const;
  bool update();

  interval_targets targets_;
  duration fixed_;
  uint32_t sources_;
  interval_choice current_;
  /// The choice last reported as a change (CI9).
  interval_choice reported_;
  time_point last_start_;
  /// CI7: a source holds at its allowance, until a checkpoint completes.
  bool held_ = false;
  /// CI7: a checkpoint is due at once, until one starts.
  bool due_now_ = false;
  double rate_ = 0;    ///< Records per second.
  double cost_ns_ = 0; ///< Trigger to completion, nanoseconds.
  /// The previous completed checkpoint's start and records: the base of
  /// the next rate sample.
  std::optional<std::pair<time_point, uint64_t>> base_;
};

} // namespace sluice::protocol
