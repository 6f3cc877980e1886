#pragma once

#include "connectors/generator.hpp"
#include "operators/instance_context.hpp"
#include "operators/operator_instance.hpp"
#include "protocol/output_router.hpp"

#include <chrono>
#include <cstdint>
#include <memory>

namespace sluice::bench {

/// A source that reads from `Source` until `duration` has passed since its
/// instance started, then reports itself exhausted: a bounded source whose
/// bound is a time. Timed runs end as bounded jobs do, by themselves, and
/// need no `job_handle::stop`, whose message to the job's runner a
/// saturated scheduler can hold back for as long as the sources keep both
/// workers busy. One clock read per pull, not per record.
template <class Source>
struct timed_source {
  using record_type = typename Source::record_type;

  static constexpr uint32_t max_parallelism = Source::max_parallelism;

  Source source;
  std::chrono::nanoseconds duration;

  std::unique_ptr<operators::source_instance>
  make_instance(const operators::instance_context& ctx,
                std::unique_ptr<protocol::output_router<record_type>> r) const;
};

/// `source`, ending after `duration`.
template <class Source>
timed_source<Source> for_time(Source source,
                              std::chrono::nanoseconds duration) {
  return {std::move(source), duration};
}

class timed_source_instance final : public operators::source_instance {
public:
  using clock = std::chrono::steady_clock;

  timed_source_instance(std::unique_ptr<operators::source_instance> inner,
                        std::chrono::nanoseconds duration)
      : inner_(std::move(inner)), deadline_(clock::now() + duration) {}

  operators::pull_result pull(uint64_t max_records) override {
    if (clock::now() >= deadline_)
      return {0, operators::pull_status::exhausted, {}};
    return inner_->pull(max_records);
  }

  uint64_t offset() const override { return inner_->offset(); }

  void seek(uint64_t offset) override { inner_->seek(offset); }

  protocol::output_port& output() noexcept override { return inner_->output(); }

private:
  std::unique_ptr<operators::source_instance> inner_;
  clock::time_point deadline_;
};

template <class Source>
std::unique_ptr<operators::source_instance> timed_source<Source>::make_instance(
  const operators::instance_context& ctx,
  std::unique_ptr<protocol::output_router<record_type>> r) const {
  return std::make_unique<timed_source_instance>(
    source.make_instance(ctx, std::move(r)), duration);
}

} // namespace sluice::bench
