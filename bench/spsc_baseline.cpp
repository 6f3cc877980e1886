#include "bench/spsc_baseline.hpp"

#include "bench/record_work.hpp"
#include "bench/spsc_ring.hpp"

#include <caf/error.hpp>
#include <caf/sec.hpp>

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

namespace sluice::bench {

namespace {

using batch = std::vector<event>;

/// One producer -> consumer pair and what each side counted.
struct lane {
  explicit lane(size_t capacity) : ring(capacity) {}

  spsc_ring<batch> ring;
  uint64_t produced = 0; ///< Written by the producer before it closes.
  sink_totals received;  ///< Written by the consumer.
};

void produce(lane& self, uint64_t first, uint64_t stride, uint32_t batch_size,
             const std::atomic<bool>& stop) {
  uint64_t k = 0;
  while (!stop.load(std::memory_order_relaxed)) {
    auto& xs = self.ring.acquire();
    xs.clear(); // keeps its capacity: the slot's storage is reused
    for (uint32_t n = 0; n < batch_size; ++n, ++k) {
      auto index = first + k * stride;
      xs.push_back(make_event(index, random_of(input_seed, index)));
    }
    self.ring.publish();
  }
  self.produced = k;
  self.ring.close();
}

void consume(lane& self) {
  while (auto* xs = self.ring.next()) {
    uint64_t sum = 0;
    for (auto& x : *xs) {
      x = map_event(x);
      sum += digest(x);
    }
    self.received.records += xs->size();
    self.received.sum += sum;
    self.ring.release();
  }
}

} // namespace

caf::expected<baseline_run> run_spsc_baseline(const baseline_options& opts) {
  if (opts.lanes == 0 || opts.batch_size == 0 || opts.window == 0)
    return caf::make_error(caf::sec::invalid_argument,
                           "spsc: lanes, batch size and window must be "
                           "positive");
  std::atomic<bool> stop{false};
  std::vector<std::unique_ptr<lane>> lanes;
  for (uint32_t j = 0; j < opts.lanes; ++j)
    lanes.push_back(std::make_unique<lane>(opts.window));
  auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (uint32_t j = 0; j < opts.lanes; ++j) {
    auto& l = *lanes[j];
    threads.emplace_back(produce, std::ref(l), uint64_t{j},
                         uint64_t{opts.lanes}, opts.batch_size,
                         std::cref(stop));
    threads.emplace_back(consume, std::ref(l));
  }
  std::this_thread::sleep_for(opts.duration);
  stop.store(true, std::memory_order_relaxed);
  for (auto& t : threads)
    t.join();
  baseline_run result;
  result.elapsed = std::chrono::steady_clock::now() - start;
  for (auto& l : lanes) {
    result.produced.push_back(l->produced);
    result.received.records += l->received.records;
    result.received.sum += l->received.sum;
  }
  return result;
}

} // namespace sluice::bench
