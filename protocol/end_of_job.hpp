#pragma once

#include "protocol/checkpoint_id.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace sluice::protocol {

/// Where the coordinator is with the end of the job (rules J1-J6).
enum class job_end_phase : uint8_t {
  collecting, ///< Some sources still read.
  wanted,     ///< Every source finished: the final checkpoint is due.
  started,    ///< The final checkpoint is in flight.
  completed,  ///< The final checkpoint completed: all output is committed.
};

std::string to_string(job_end_phase x);

inline std::ostream& operator<<(std::ostream& os, job_end_phase x) {
  return os << to_string(x);
}

/// What a failover finds of the end of the job (J4), which decides what it
/// takes back.
enum class final_at_failover : uint8_t {
  none,      ///< No final checkpoint started: the failed regions go back.
  in_flight, ///< The final checkpoint spans every region: all go back.
  completed, ///< Everything is committed: the failed regions end (L6).
};

std::string to_string(final_at_failover x);

inline std::ostream& operator<<(std::ostream& os, final_at_failover x) {
  return os << to_string(x);
}

/// A source instance and its incarnation: how many times the job's
/// instances had been restarted when it was spawned.
struct source_incarnation {
  uint32_t stage = 0;
  uint32_t instance = 0;
  uint32_t incarnation = 0;
};

/// The coordinator's end of the job (rules J1-J6): which sources of the
/// current incarnations finished, when the final checkpoint may start, and
/// what a failover at each point does to it. No actors, clocks or I/O.
/// Not thread-safe.
///
///   collecting --every source finished--> wanted --nothing in flight-->
///   started --final completed--> completed
///
///   failover: wanted -> collecting; started -> collecting, every source
///   forgotten (all regions go back); completed stays completed, unless
///   the restore went back before the final checkpoint.
class end_of_job {
public:
  /// The job's sources, all of incarnation `incarnation`.
  end_of_job(const std::vector<std::pair<uint32_t, uint32_t>>& sources,
             uint32_t incarnation);

  job_end_phase phase() const noexcept { return phase_; }

  /// J6: checkpoints other than the final start only while collecting:
  /// requests are refused and ticks skipped once the end is near.
  bool accepts_checkpoints() const noexcept {
    return phase_ == job_end_phase::collecting;
  }

  /// J1: a source reported that it finished. Reports of an older
  /// incarnation of the instance are stale and change nothing. True when
  /// this made every source finished.
  bool on_source_finished(const source_incarnation& x);

  /// J2: whether the final checkpoint starts now: every source finished,
  /// no failover under way, and no other checkpoint in flight (so no
  /// checkpoint before it can abort it through its delta chain).
  bool final_due(size_t in_flight) const noexcept {
    return phase_ == job_end_phase::wanted && !paused_ && in_flight == 0;
  }

  /// J2: the final checkpoint `id` started.
  void on_final_started(checkpoint_id id);

  /// J3: checkpoint `id` completed; true if it was the final one.
  bool on_completed(checkpoint_id id);

  /// J5: checkpoint `id` was aborted. True when that fails the job: the
  /// final checkpoint, aborted outside a failover (its sources ended their
  /// streams; nothing could commit their last records).
  bool on_aborted(checkpoint_id id);

  /// J4: instances fail; no checkpoint starts until `on_restarted`.
  final_at_failover on_failover();

  /// J4: the failed regions run again, restored from `restored` (none: from
  /// the beginning); `sources` are the restarted ones, now of
  /// `incarnation`, and they are no longer finished.
  void on_restarted(const std::vector<std::pair<uint32_t, uint32_t>>& sources,
                    uint32_t incarnation,
                    std::optional<checkpoint_id> restored);

  /// The final checkpoint, once started.
  std::optional<checkpoint_id> final_checkpoint() const noexcept {
    return final_;
  }

  bool paused() const noexcept { return paused_; }

  /// Sources of the current incarnations that finished.
  size_t finished() const noexcept { return finished_.size(); }

  size_t sources() const noexcept { return incarnations_.size(); }

private:
  using key = std::pair<uint32_t, uint32_t>;

  job_end_phase phase_ = job_end_phase::collecting;
  std::map<key, uint32_t> incarnations_;
  std::set<key> finished_;
  std::optional<checkpoint_id> final_;
  bool paused_ = false;
};

} // namespace sluice::protocol
