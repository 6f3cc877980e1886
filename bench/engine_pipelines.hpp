#pragma once

#include "actors/checkpoint_stats.hpp"
#include "bench/lane_sums.hpp"
#include "bench/record_work.hpp"
#include "bench/text_corpus.hpp"
#include "bench/zipf_keys.hpp"

#include <caf/actor_system.hpp>
#include <caf/expected.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace sluice::bench {

/// Records an instance of a job with batches of `batch_size` records may
/// hold waiting (`engine_settings::max_buffered_records`): the engine's
/// default of 16384, raised to 16 batches for larger batches, so that every
/// channel's share stays at two batches or more.
constexpr uint64_t budget_for(uint32_t batch_size) noexcept {
  return std::max(uint64_t{16} * batch_size, uint64_t{16384});
}

/// How one Sluice job of the throughput cases runs.
struct job_options {
  /// Instances of every stage.
  uint32_t parallelism = 1;
  /// Records per batch of every stage; each instance's budget is
  /// `budget_for(batch_size)`.
  uint32_t batch_size = 1024;
  /// The sources stop after this; the job then drains and ends.
  std::chrono::nanoseconds duration{std::chrono::seconds{2}};
  /// The checkpoint store; empty: no checkpoints. With a store, checkpoints
  /// are exactly-once and incremental: a full snapshot every `full_every`,
  /// deltas between.
  std::string store;
  std::chrono::nanoseconds interval{std::chrono::seconds{1}};
  uint32_t full_every = 10;
};

/// One run of a Sluice job whose results were checked.
struct engine_run {
  std::vector<uint64_t> produced;      ///< Records per source instance.
  uint64_t records = 0;                ///< All records the sources produced.
  uint64_t words = 0;                  ///< Wordcount: words in those records.
  uint64_t distinct = 0;               ///< Keyed cases: keys counted.
  std::chrono::nanoseconds elapsed{0}; ///< From the job report.
  std::vector<actors::checkpoint_stats> checkpoints;
};

/// The inputs of the throughput cases and what their sinks must see, shared
/// by all runs of one benchmark (the sums are extended as runs need them).
struct workloads {
  workloads(uint64_t key_space, std::shared_ptr<const text_corpus> corpus)
      : keys(key_space), text(corpus), stateless_sums(stateless_digest{}),
        key_sums(key_weight{keys}), word_sums(line_words{corpus}),
        word_weight_sums(line_weight{corpus}) {}

  zipf_keys keys;
  std::shared_ptr<const text_corpus> text;
  lane_sums<stateless_digest> stateless_sums;
  lane_sums<key_weight> key_sums;
  lane_sums<line_words> word_sums;
  lane_sums<line_weight> word_weight_sums;
};

/// generate -> map -> sink over `event`s. Checks that the sinks received
/// every record the generator produced, with the expected checksum.
[[nodiscard]] caf::expected<engine_run>
run_stateless_job(caf::actor_system& sys, const job_options& opts,
                  workloads& work);

/// generate -> key_by -> count -> sink: records are keys with Zipf skew
/// over `work.keys`. The sink keeps the count stage's changelog; the latest
/// counts must add up to the records produced, also weighted per key.
[[nodiscard]] caf::expected<engine_run>
run_keyed_count_job(caf::actor_system& sys, const job_options& opts,
                    workloads& work);

/// generate lines -> flat_map into words -> key_by word -> count -> sink,
/// checked like the keyed count against the words of the lines produced.
[[nodiscard]] caf::expected<engine_run>
run_wordcount_job(caf::actor_system& sys, const job_options& opts,
                  workloads& work);

} // namespace sluice::bench
