#pragma once

#include "jobs/record.hpp"
#include "operators/producing_instance.hpp"
#include "state/keyed_value_state.hpp"
#include "state/operator_value_state.hpp"

#include <chrono>
#include <functional>
#include <limits>
#include <memory>

namespace sluice::jobs {

/// Counts records per key in tumbling windows of processing time. Windows
/// start at multiples of their size since the Unix epoch; when one ends
/// (seen by the operator timer, or by a batch from a later window), one
/// record (window start in milliseconds, key, count) leaves per key it
/// counted. The counts and the open window are checkpointed states
/// ("counts", "window"), so a window survives a restart: a job restored
/// from a checkpoint closes the window it was counting with the counts
/// from before the failure plus the replayed records. When the input ends,
/// the open window closes early.
class window_count_instance final
    : public operators::producing_instance<record> {
public:
  using clock_function = std::function<std::chrono::system_clock::time_point()>;

  /// `now` reads the processing time; tests pass a clock of their own.
  window_count_instance(std::unique_ptr<protocol::output_router<record>> r,
                        size_t key_field, std::chrono::nanoseconds size,
                        clock_function now = std::chrono::system_clock::now);

  void process(uint32_t input, protocol::record_payload&& payload) override;

  void finish() override;

  /// A tenth of the window, within 10 ms and 1 s: a window closes at most
  /// that late.
  std::chrono::nanoseconds timer_period() const override;

  void on_timer() override;

private:
  static constexpr int64_t no_window = std::numeric_limits<int64_t>::min();

  /// Start (ms since the epoch) of the window that holds `t`.
  int64_t window_of(std::chrono::system_clock::time_point t) const;

  /// Emits the open window's counts and forgets them.
  void close_window();

  size_t key_field_;
  int64_t size_ms_;
  clock_function now_;
  state::keyed_value_state<field_value, int64_t> counts_;
  /// Start of the open window, or `no_window`.
  state::operator_value_state<int64_t> window_;
};

} // namespace sluice::jobs
