#pragma once

#include "operators/instance_context.hpp"
#include "operators/operator_instance.hpp"
#include "operators/record_failure.hpp"

#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <utility>

namespace sluice::bench {

/// What one sink received: the number of records and the wrapping sum of
/// their digests, so that a run can be checked without keeping records.
struct sink_totals {
  uint64_t records = 0;
  uint64_t sum = 0;
};

/// The number a record adds to the sum.
constexpr uint64_t digest(uint64_t x) noexcept {
  return x;
}

template <class K, class V>
constexpr uint64_t digest(const std::pair<K, V>& x) noexcept {
  return digest(x.first) + digest(x.second);
}

/// The totals of all instances of one sink stage. Each instance owns one
/// slot and writes it from its own actor without locking; read `total()`
/// only after the job ended (its report orders the writes before the read).
class sink_tally {
public:
  /// A slot for a new instance; stays valid as long as the tally.
  sink_totals* add_instance() {
    std::lock_guard<std::mutex> guard{mtx_};
    return &slots_.emplace_back();
  }

  /// The sum over all instances.
  sink_totals total() const {
    std::lock_guard<std::mutex> guard{mtx_};
    sink_totals result;
    for (auto& slot : slots_) {
      result.records += slot.records;
      result.sum += slot.sum;
    }
    return result;
  }

private:
  mutable std::mutex mtx_;
  std::deque<sink_totals> slots_; // a deque never moves its elements
};

/// The cheapest useful sink: counts the records of each batch and sums
/// their digests, one write to its slot per batch. Used with
/// `stream<T>::sink(name, checksum_sink<T>{})`.
template <class T>
struct checksum_sink {
  using record_type = T;

  std::shared_ptr<sink_tally> tally = std::make_shared<sink_tally>();

  std::unique_ptr<operators::operator_instance>
  make_instance(const operators::instance_context& ctx) const;
};

template <class T>
class checksum_sink_instance final : public operators::operator_instance {
public:
  explicit checksum_sink_instance(std::shared_ptr<sink_tally> tally)
      : tally_(std::move(tally)), slot_(tally_->add_instance()) {}

  void process(uint32_t, protocol::record_payload&& payload) override {
    auto records = operators::take_records<T>(payload);
    uint64_t sum = 0;
    for (auto& x : records)
      sum += digest(x);
    slot_->records += records.size();
    slot_->sum += sum;
  }

  protocol::output_port* output() noexcept override { return nullptr; }

private:
  std::shared_ptr<sink_tally> tally_;
  sink_totals* slot_;
};

template <class T>
std::unique_ptr<operators::operator_instance>
checksum_sink<T>::make_instance(const operators::instance_context&) const {
  return std::make_unique<checksum_sink_instance<T>>(tally);
}

} // namespace sluice::bench
