#pragma once

#include "bench/checksum_sink.hpp"

#include <chrono>
#include <cstdint>
#include <memory>

namespace sluice::bench {

/// A sink that takes `per_record` of processor time per record (it spins
/// once per batch until the batch's time is used up), so that whatever
/// feeds it runs into backpressure. Counts and sums like `checksum_sink`.
template <class T>
struct slow_sink {
  using record_type = T;

  std::chrono::nanoseconds per_record{1000};
  std::shared_ptr<sink_tally> tally = std::make_shared<sink_tally>();

  std::unique_ptr<operators::operator_instance>
  make_instance(const operators::instance_context& ctx) const;
};

template <class T>
class slow_sink_instance final : public operators::operator_instance {
public:
  slow_sink_instance(std::chrono::nanoseconds per_record,
                     std::shared_ptr<sink_tally> tally)
      : per_record_(per_record), tally_(std::move(tally)),
        slot_(tally_->add_instance()) {}

  void process(uint32_t, protocol::record_payload&& payload) override {
    using clock = std::chrono::steady_clock;
    auto until = clock::now() + per_record_ * payload.size();
    auto records = operators::take_records<T>(payload);
    uint64_t sum = 0;
    for (auto& x : records)
      sum += digest(x);
    slot_->records += records.size();
    slot_->sum += sum;
    while (clock::now() < until) {
      // Busy on purpose: a sleeping sink would free its worker thread.
    }
  }

  protocol::output_port* output() noexcept override { return nullptr; }

private:
  std::chrono::nanoseconds per_record_;
  std::shared_ptr<sink_tally> tally_;
  sink_totals* slot_;
};

template <class T>
std::unique_ptr<operators::operator_instance>
slow_sink<T>::make_instance(const operators::instance_context&) const {
  return std::make_unique<slow_sink_instance<T>>(per_record, tally);
}

} // namespace sluice::bench
