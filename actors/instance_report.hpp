#pragma once

#include "actors/checkpoint_stats.hpp"
#include "actors/recovery_stats.hpp"

#include <caf/meta/type_name.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace sluice::actors {

/// What one instance did and saw; sent to the runner when it ends.
struct instance_report {
  std::string stage;
  uint32_t instance = 0;
  uint64_t records_in = 0;  ///< Records that arrived (sources: produced).
  uint64_t records_out = 0; ///< Records shipped downstream.
  uint64_t batches_in = 0;
  /// The instance's budget: records it may hold waiting (rule D4).
  uint64_t budget = 0;
  /// Largest backlog observed after handling a message: records in the
  /// instance's own buffers plus those its mailbox held (messages times the
  /// mean batch size, bounded by the credit outstanding).
  uint64_t max_waiting_records = 0;
  /// Largest number of messages observed in the mailbox.
  uint64_t max_mailbox = 0;
  /// Position of a source after its last record.
  uint64_t offset = 0;
  /// Records dropped on purpose (`on-error = skip`).
  uint64_t records_skipped = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, instance_report& x) {
  return f(caf::meta::type_name("sluice::actors::instance_report"), x.stage,
           x.instance, x.records_in, x.records_out, x.batches_in, x.budget,
           x.max_waiting_records, x.max_mailbox, x.offset, x.records_skipped);
}

/// What a finished job did.
struct job_report {
  std::string job;
  std::vector<instance_report> instances;
  std::chrono::nanoseconds elapsed{0};
  /// Every checkpoint of this run, completed or aborted, in order.
  std::vector<checkpoint_stats> checkpoints;
  /// The checkpoint the run resumed from (0: started fresh).
  uint64_t restored_from = 0;
  /// Newer checkpoints the restore passed over, and why.
  std::vector<std::string> restore_notes;
  /// Every recovery from a failed instance.
  std::vector<recovery_stats> recoveries;

  /// Records that arrived at all instances of `stage` (sources: produced).
  uint64_t records_in(const std::string& stage) const;

  /// Records all instances of `stage` shipped.
  uint64_t records_out(const std::string& stage) const;

  /// Records all instances of `stage` dropped on purpose.
  uint64_t records_skipped(const std::string& stage) const;

  /// Checkpoints of this run that completed.
  size_t completed_checkpoints() const;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, job_report& x) {
  return f(caf::meta::type_name("sluice::actors::job_report"), x.job,
           x.instances, x.elapsed, x.checkpoints, x.restored_from,
           x.restore_notes, x.recoveries);
}

} // namespace sluice::actors
