#pragma once

#include "config/job_spec.hpp"
#include "jobs/record.hpp"
#include "operators/producing_instance.hpp"
#include "state/keyed_value_state.hpp"

#include <memory>
#include <optional>
#include <utility>
#include <vector>

namespace sluice::jobs {

/// Per-key count, sum, min or max over a keyed stream of job-file records.
/// After each batch, one record (key, value) leaves per key the batch
/// touched: a changelog whose latest record per key is the current result
/// (as the builder's `count` and `aggregate` do). The values live in a
/// checkpointed keyed state named "aggregate".
class aggregate_instance final : public operators::producing_instance<record> {
public:
  /// `type` is count, sum, min or max; `value_field` is unset for count.
  aggregate_instance(std::unique_ptr<protocol::output_router<record>> r,
                     config::stage_type type, size_t key_field,
                     std::optional<size_t> value_field);

  void process(uint32_t input, protocol::record_payload&& payload) override;

private:
  struct accumulator {
    field_value value;
    uint64_t batch = 0; ///< Last batch that touched the key; not stored.

    template <class Archive>
    void serialize(Archive& ar) {
      ar(value);
    }
  };

  /// The accumulator of a key's first record.
  field_value first(const record& x) const;

  /// Folds `x` into `acc`.
  void update(field_value& acc, const record& x) const;

  config::stage_type type_;
  size_t key_field_;
  std::optional<size_t> value_field_;
  state::keyed_value_state<field_value, accumulator> state_;
  // Entries stay put when the map rehashes, so pointers are safe here.
  std::vector<std::pair<field_value, accumulator*>> touched_;
  uint64_t batch_ = 0;
};

} // namespace sluice::jobs
