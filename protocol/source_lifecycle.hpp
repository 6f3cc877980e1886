#pragma once

#include "protocol/checkpoint_id.hpp"

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>

namespace sluice::protocol {

/// Where a source instance is in its life (rules L1-L6).
enum class source_phase : uint8_t {
  reading,  ///< Reads while its outputs have credit.
  paused,   ///< Its outputs are saturated: reads again once credit comes.
  stopping, ///< Asked to stop: reads nothing new, hands on what it accepted.
  finished, ///< Read its last record.
  stopped,  ///< Asked to stop, and handed on everything it accepted.
  /// Sent the final checkpoint's barrier: ends once its outputs drained
  /// and, if it acknowledges producers, the final checkpoint committed.
  awaiting_final,
  ended, ///< Ended its streams: the actor quits.
};

std::string to_string(source_phase x);

inline std::ostream& operator<<(std::ostream& os, source_phase x) {
  return os << to_string(x);
}

/// What the source actor does after an event.
enum class source_answer : uint8_t {
  none,            ///< Nothing.
  read,            ///< Pull records.
  report_finished, ///< Tell the coordinator `source_finished` (L3).
  snapshot,        ///< Store the offset, put the barrier behind the records.
  snapshot_final,  ///< The same for the final checkpoint (L4).
  end_streams,     ///< End every output channel, report, quit (L5).
  refuse,          ///< The event cannot happen now: a protocol violation.
};

std::string to_string(source_answer x);

inline std::ostream& operator<<(std::ostream& os, source_answer x) {
  return os << to_string(x);
}

/// Whether a job's sources end through a final checkpoint (C7).
enum class source_ending : uint8_t {
  drain,            ///< No checkpoints: end once the outputs drained.
  final_checkpoint, ///< End after the final checkpoint's barrier.
  /// Also wait until the final checkpoint committed: an ingress source
  /// acknowledges its producers' last records then (I4).
  final_commit,
};

/// How an instance starts.
enum class start_mode : uint8_t {
  fresh,    ///< From the beginning or from a checkpoint: it reads.
  job_done, ///< From the job's final checkpoint, which completed: it ends.
};

/// The life of one source instance (rules L1-L6): an explicit state and one
/// method per event, each answering what the actor does next. No actors,
/// clocks or I/O; the source actor turns messages into these events.
/// Not thread-safe.
///
///   reading <--credit/saturated--> paused
///      |  \--stop--> stopping --input handed on--+
///      |                                          v
///      +--last record--> finished            stopped
///                           \                  /
///                            +--final trigger--+--> awaiting_final
///                                                        |
///   (no checkpoints: finished/stopped --drained--> ended) |
///                                       drained [committed]
///                                                        v
///                                                      ended
class source_lifecycle {
public:
  explicit source_lifecycle(source_ending ending) : ending_(ending) {}

  source_phase phase() const noexcept { return phase_; }

  /// Whether the actor may pull: reading, or handing on what it accepted
  /// before it was asked to stop.
  bool reads() const noexcept {
    return phase_ == source_phase::reading || phase_ == source_phase::stopping;
  }

  /// Finished or stopped: reads no more.
  bool done_reading() const noexcept;

  /// L1: the roster arrived. A source restored from the job's completed
  /// final checkpoint ends without reading (L6).
  [[nodiscard]] source_answer on_started(start_mode mode);

  /// L2: the outputs ran out of credit; the source stops reading.
  [[nodiscard]] source_answer on_saturated();

  /// L2: credit came back.
  [[nodiscard]] source_answer on_credit();

  /// L3: the source read its last record (or, stopping, handed on the last
  /// one it had accepted).
  [[nodiscard]] source_answer on_input_ended();

  /// L3: the job asked the source to stop. `accepted_left`: records it
  /// accepted from producers and still has to hand on (I6).
  [[nodiscard]] source_answer on_stop(bool accepted_left);

  /// L4: the coordinator triggers checkpoint `id`.
  [[nodiscard]] source_answer on_trigger(checkpoint_id id, bool final);

  /// L5: checkpoint `id` committed.
  [[nodiscard]] source_answer on_committed(checkpoint_id id);

  /// L5: everything the outputs buffered left.
  [[nodiscard]] source_answer on_outputs_drained();

  /// The final checkpoint whose barrier the source sent, if any.
  std::optional<checkpoint_id> final_checkpoint() const noexcept {
    return final_;
  }

private:
  /// The answer once the source reads no more (L3).
  source_answer done();

  source_ending ending_;
  source_phase phase_ = source_phase::reading;
  std::optional<checkpoint_id> final_;
  bool final_committed_ = false;
};

} // namespace sluice::protocol
