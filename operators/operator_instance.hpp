#pragma once

#include "operators/skip_tally.hpp"
#include "protocol/checkpoint_id.hpp"
#include "protocol/output_port.hpp"
#include "protocol/record_payload.hpp"
#include "state/state_registry.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace sluice::operators {

/// The checkpoint an instance was restored from, with the transaction a
/// sink pre-committed for it.
struct restored_from {
  protocol::checkpoint_id id{};
  std::optional<std::string> transaction;
};

/// The logic of one transform or sink instance. The hosting actor handles
/// credit, batching and barriers; the logic sees whole batches and puts what
/// it produces into its output router. Runs inside one actor.
///
/// Its named states (`states()`) are snapshotted at every barrier and
/// restored, before `open`, when the job resumes from a checkpoint.
class operator_instance {
public:
  virtual ~operator_instance() = default;

  /// False while a sink still holds output to hand over (to an application
  /// actor that has not granted demand yet): the instance ends only after.
  virtual bool drained() const { return true; }

  /// Called once, after any restore and before the first batch.
  virtual void open(const std::optional<restored_from>& restored) {
    static_cast<void>(restored);
  }

  /// Handles one batch that arrived on `input`. May throw: user code's
  /// exceptions arrive as `record_failure`.
  virtual void process(uint32_t input, protocol::record_payload&& records) = 0;

  /// The input is over: at the final checkpoint's barrier, before the
  /// final snapshot, or once every input ended in a job without
  /// checkpoints. Emit what is still held; a sink makes nothing visible
  /// here: only `commit` does (rule O1).
  virtual void finish() {}

  /// The instance ends: its inputs ended, its outputs drained, everything
  /// it held was handed over, and a sink's last checkpoint committed.
  /// Release resources; tell consumers that nothing more comes. Called once,
  /// just before the instance's actor quits (rule O3).
  virtual void close() {}

  /// How often `on_timer` runs (processing time); zero: never.
  virtual std::chrono::nanoseconds timer_period() const {
    return std::chrono::nanoseconds{0};
  }

  /// Runs every `timer_period`, between batches, in the instance's actor:
  /// for work that time, not records, triggers (closing a window). May
  /// produce into the router and throw like `process`.
  virtual void on_timer() {}

  /// The instance's outputs; null for sinks.
  virtual protocol::output_port* output() noexcept = 0;

  /// The records it dropped on purpose; null when it drops none.
  virtual skip_tally* skips() noexcept { return nullptr; }

  // -- two-phase commit (sinks) -----------------------------------------------

  /// Barrier `id` arrived: stage the output of the epoch that ends here,
  /// durably but not yet visible, and describe the transaction for the
  /// store (rule C4). Null: nothing to commit.
  virtual std::optional<std::string> pre_commit(protocol::checkpoint_id id) {
    static_cast<void>(id);
    return std::nullopt;
  }

  /// Checkpoint `id` completed: make the epochs up to it visible. Called
  /// again after a restore for the restored checkpoint, so it must be
  /// idempotent (rule C5).
  virtual void commit(protocol::checkpoint_id id) { static_cast<void>(id); }

  // -- state ------------------------------------------------------------------

  state::state_registry& states() noexcept { return states_; }

protected:
  state::state_registry states_;
};

/// What a pull from a source produced.
enum class pull_status : uint8_t {
  more,      ///< Pull again.
  throttled, ///< The source keeps a rate: pull again after `retry_after`.
  idle,      ///< Nothing to read now; records arrive as messages.
  exhausted, ///< A bounded source reached its end.
};

struct pull_result {
  uint64_t records = 0;
  pull_status status = pull_status::more;
  std::chrono::nanoseconds retry_after{0};
};

/// The logic of one source instance: reads up to a number of records into
/// its output router, and knows its position so that it can resume there
/// (its snapshot is that position).
class source_instance {
public:
  virtual ~source_instance() = default;

  /// Produces at most `max_records` records into the router. May throw.
  virtual pull_result pull(uint64_t max_records) = 0;

  /// Position after the last record pulled, in the source's own unit
  /// (records for a generator, bytes for a file).
  virtual uint64_t offset() const = 0;

  /// Continues from `offset`, a value `offset()` returned before. May throw.
  virtual void seek(uint64_t offset) = 0;

  virtual protocol::output_port& output() noexcept = 0;

  /// States the source keeps besides its offset (e.g. what it acknowledged
  /// to whom), snapshotted with it; null for most sources.
  virtual state::state_registry* states() noexcept { return nullptr; }
};

} // namespace sluice::operators
