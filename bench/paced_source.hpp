#pragma once

#include "operators/instance_context.hpp"
#include "operators/operator_instance.hpp"
#include "protocol/output_router.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>

namespace sluice::bench {

/// When the paced part of a `paced_source` started: steady-clock
/// nanoseconds since its epoch, 0 until the burst has been read. Shared by
/// every incarnation of the source instance, so that the schedule survives
/// a restart.
using pace_start = std::atomic<int64_t>;

/// A source that reads the first `burst` records of `Source` at full speed,
/// then the rest at `rate` records per second, as records would arrive in
/// an external log: record `burst + j` becomes readable `j / rate` seconds
/// after the burst was read. A restarted instance that seeks back to a
/// checkpoint's offset finds the records that arrived meanwhile already
/// there and reads that backlog at full speed, as from a log; then it
/// keeps the pace again. One instance only (the schedule is the
/// instance's).
template <class Source>
struct paced_source {
  using record_type = typename Source::record_type;

  static constexpr uint32_t max_parallelism = 1;

  Source source;
  uint64_t burst;
  double rate; ///< Records per second after the burst.
  std::shared_ptr<pace_start> started = std::make_shared<pace_start>(0);

  std::unique_ptr<operators::source_instance>
  make_instance(const operators::instance_context& ctx,
                std::unique_ptr<protocol::output_router<record_type>> r) const;
};

/// `source`: `burst` records at once, then `rate` records per second.
template <class Source>
paced_source<Source> paced(Source source, uint64_t burst, double rate) {
  return {std::move(source), burst, rate};
}

class paced_source_instance final : public operators::source_instance {
public:
  using clock = std::chrono::steady_clock;

  paced_source_instance(std::unique_ptr<operators::source_instance> inner,
                        uint64_t burst, double rate,
                        std::shared_ptr<pace_start> started)
      : inner_(std::move(inner)), burst_(burst), rate_(rate),
        started_(std::move(started)) {}

  operators::pull_result pull(uint64_t max_records) override {
    auto offset = inner_->offset();
    if (offset < burst_)
      return inner_->pull(std::min(max_records, burst_ - offset));
    auto now = clock::now().time_since_epoch().count();
    // The first pull past the burst starts the pace; a failed exchange
    // leaves the start that an earlier pull set in `start`.
    int64_t start = 0;
    if (started_->compare_exchange_strong(start, now))
      start = now;
    auto since
      = std::chrono::duration<double>(std::chrono::nanoseconds{now - start});
    auto due = burst_ + static_cast<uint64_t>(since.count() * rate_);
    if (offset >= due) {
      // Sleeps at least a millisecond (200 records at 200k/s): a wake-up
      // per record would cost more than the records.
      auto next = static_cast<double>(offset - burst_ + 1) / rate_;
      auto wait = std::max(std::chrono::duration<double>(next) - since,
                           std::chrono::duration<double>(1e-3));
      return {0, operators::pull_status::throttled,
              std::chrono::duration_cast<std::chrono::nanoseconds>(wait)};
    }
    return inner_->pull(std::min(max_records, due - offset));
  }

  uint64_t offset() const override { return inner_->offset(); }

  void seek(uint64_t offset) override { inner_->seek(offset); }

  protocol::output_port& output() noexcept override { return inner_->output(); }

private:
  std::unique_ptr<operators::source_instance> inner_;
  uint64_t burst_;
  double rate_;
  std::shared_ptr<pace_start> started_;
};

template <class Source>
std::unique_ptr<operators::source_instance> paced_source<Source>::make_instance(
  const operators::instance_context& ctx,
  std::unique_ptr<protocol::output_router<record_type>> r) const {
  return std::make_unique<paced_source_instance>(
    source.make_instance(ctx, std::move(r)), burst, rate, started);
}

} // namespace sluice::bench
