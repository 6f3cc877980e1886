#pragma once

#include "operators/instance_context.hpp"
#include "operators/operator_instance.hpp"
#include "operators/record_failure.hpp"

#include <algorithm>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

namespace sluice::bench {

/// The latest count per key that one sink instance saw in a keyed count's
/// changelog. Integer keys index a vector (cheap, so the sink costs little
/// next to the count); other keys go to a hash map.
template <class K>
struct latest_counts {
  std::vector<uint64_t> dense;
  std::unordered_map<K, uint64_t> sparse;
  uint64_t records = 0; ///< Changelog records received.

  void set(const K& key, uint64_t count) {
    if constexpr (std::is_integral_v<K>) {
      auto i = static_cast<size_t>(key);
      if (i >= dense.size())
        dense.resize(std::max(i + 1, dense.size() * 2));
      dense[i] = count;
    } else {
      sparse[key] = count;
    }
  }
};

/// What the changelog says at the end: the sum of the latest counts (all
/// records the count stage received), the same sum weighted per key, and
/// the number of keys.
struct count_summary {
  uint64_t total = 0;
  uint64_t weighted = 0;
  uint64_t distinct = 0;
  uint64_t records = 0; ///< Changelog records the sinks received.
};

/// The latest counts of all instances of one sink stage. Each instance owns
/// one slot and writes it from its own actor without locking; summarize
/// only after the job ended (its report orders the writes before).
template <class K>
class count_tally {
public:
  latest_counts<K>* add_instance() {
    std::lock_guard<std::mutex> guard{mtx_};
    return &slots_.emplace_back();
  }

  /// Merges the instances (a key's latest count is the largest seen: counts
  /// only grow) and sums up, each key's count also times `weight(key)`.
  template <class Weight>
  count_summary summarize(Weight weight) const {
    std::lock_guard<std::mutex> guard{mtx_};
    count_summary result;
    auto add = [&](const K& key, uint64_t n) {
      result.total += n;
      result.weighted += n * weight(key);
      ++result.distinct;
    };
    if constexpr (std::is_integral_v<K>) {
      std::vector<uint64_t> merged;
      for (auto& slot : slots_) {
        if (merged.size() < slot.dense.size())
          merged.resize(slot.dense.size());
        for (size_t i = 0; i < slot.dense.size(); ++i)
          merged[i] = std::max(merged[i], slot.dense[i]);
      }
      for (size_t i = 0; i < merged.size(); ++i)
        if (merged[i] > 0)
          add(static_cast<K>(i), merged[i]);
    } else {
      std::unordered_map<K, uint64_t> merged;
      for (auto& slot : slots_)
        for (auto& [key, n] : slot.sparse)
          merged[key] = std::max(merged[key], n);
      for (auto& [key, n] : merged)
        add(key, n);
    }
    for (auto& slot : slots_)
      result.records += slot.records;
    return result;
  }

private:
  mutable std::mutex mtx_;
  std::deque<latest_counts<K>> slots_; // a deque never moves its elements
};

/// A sink for the changelog of `count`: remembers the latest count per key,
/// so that the run can be checked against what the sources produced.
template <class K>
struct latest_count_sink {
  using record_type = std::pair<K, uint64_t>;

  std::shared_ptr<count_tally<K>> tally = std::make_shared<count_tally<K>>();

  std::unique_ptr<operators::operator_instance>
  make_instance(const operators::instance_context& ctx) const;
};

template <class K>
class latest_count_sink_instance final : public operators::operator_instance {
public:
  explicit latest_count_sink_instance(std::shared_ptr<count_tally<K>> tally)
      : tally_(std::move(tally)), slot_(tally_->add_instance()) {}

  void process(uint32_t, protocol::record_payload&& payload) override {
    auto records = operators::take_records<std::pair<K, uint64_t>>(payload);
    for (auto& [key, n] : records)
      slot_->set(key, n);
    slot_->records += records.size();
  }

  protocol::output_port* output() noexcept override { return nullptr; }

private:
  std::shared_ptr<count_tally<K>> tally_;
  latest_counts<K>* slot_;
};

template <class K>
std::unique_ptr<operators::operator_instance>
latest_count_sink<K>::make_instance(const operators::instance_context&) const {
  return std::make_unique<latest_count_sink_instance<K>>(tally);
}

} // namespace sluice::bench
