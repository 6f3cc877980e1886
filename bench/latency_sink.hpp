#pragma once

#include "bench/latency_recorder.hpp"
#include "bench/record_work.hpp"
#include "operators/instance_context.hpp"
#include "operators/operator_instance.hpp"
#include "operators/record_failure.hpp"

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>

namespace sluice::bench {

/// The steady clock in nanoseconds: what the latency case stamps into
/// `event::time_ns` at the source and reads again at the sink.
inline int64_t steady_now_ns() noexcept {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
           std::chrono::steady_clock::now().time_since_epoch())
    .count();
}

/// What one latency sink instance measured.
struct latency_slot {
  latency_recorder latencies;
  uint64_t sum = 0; ///< Wrapping sum of the records' `digest`.
};

/// The slots of all instances of a latency sink; merge them only after the
/// job ended (its report orders the instances' writes before).
class latency_tally {
public:
  latency_slot* add_instance() {
    std::lock_guard<std::mutex> guard{mtx_};
    return &slots_.emplace_back();
  }

  latency_slot total() const {
    std::lock_guard<std::mutex> guard{mtx_};
    latency_slot result;
    for (auto& slot : slots_) {
      result.latencies.merge(slot.latencies);
      result.sum += slot.sum;
    }
    return result;
  }

private:
  mutable std::mutex mtx_;
  std::deque<latency_slot> slots_; // a deque never moves its elements
};

/// A sink that measures, in user code, how long each event took from its
/// source timestamp (`event::time_ns`, stamped by the generator) to the
/// sink. The clock is read once per batch: all records of a batch arrive
/// at the same moment.
struct latency_sink {
  using record_type = event;

  std::shared_ptr<latency_tally> tally = std::make_shared<latency_tally>();

  std::unique_ptr<operators::operator_instance>
  make_instance(const operators::instance_context& ctx) const;
};

class latency_sink_instance final : public operators::operator_instance {
public:
  explicit latency_sink_instance(std::shared_ptr<latency_tally> tally)
      : tally_(std::move(tally)), slot_(tally_->add_instance()) {}

  void process(uint32_t, protocol::record_payload&& payload) override {
    auto records = operators::take_records<event>(payload);
    auto now = steady_now_ns();
    uint64_t sum = 0;
    for (auto& x : records) {
      sum += digest(x);
      slot_->latencies.add(
        now > x.time_ns ? static_cast<uint64_t>(now - x.time_ns) : 0);
    }
    slot_->sum += sum;
  }

  protocol::output_port* output() noexcept override { return nullptr; }

private:
  std::shared_ptr<latency_tally> tally_;
  latency_slot* slot_;
};

inline std::unique_ptr<operators::operator_instance>
latency_sink::make_instance(const operators::instance_context&) const {
  return std::make_unique<latency_sink_instance>(tally);
}

} // namespace sluice::bench
