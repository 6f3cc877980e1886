#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <thread>
#include <vector>

namespace sluice::bench {

/// A bounded single-producer single-consumer ring of reusable slots: the
/// producer fills a slot in place and publishes it, the consumer reads it
/// in place and releases it, so a batch's storage is allocated once and
/// moves between the cores by cache line only. Exactly one producer thread
/// and one consumer thread.
template <class T>
class spsc_ring {
public:
  explicit spsc_ring(size_t capacity) : slots_(capacity) {}

  // -- producer ---------------------------------------------------------------

  /// The next free slot, waiting while the ring is full.
  T& acquire() {
    auto tail = tail_.load(std::memory_order_relaxed);
    for (unsigned spins = 0; tail - head_cache_ == slots_.size();) {
      head_cache_ = head_.load(std::memory_order_acquire);
      if (tail - head_cache_ == slots_.size())
        pause(spins);
    }
    return slots_[tail % slots_.size()];
  }

  /// Hands the slot from `acquire` to the consumer.
  void publish() { tail_.fetch_add(1, std::memory_order_release); }

  /// No slot follows the ones published.
  void close() { closed_.store(true, std::memory_order_release); }

  // -- consumer ---------------------------------------------------------------

  /// The oldest published slot, waiting while the ring is empty; null once
  /// the ring is empty and closed.
  T* next() {
    auto head = head_.load(std::memory_order_relaxed);
    for (unsigned spins = 0; head == tail_cache_;) {
      // Read `closed_` first: a slot published before `close` is then
      // seen by the load of `tail_` that follows.
      bool closed = closed_.load(std::memory_order_acquire);
      tail_cache_ = tail_.load(std::memory_order_acquire);
      if (head != tail_cache_)
        break;
      if (closed)
        return nullptr;
      pause(spins);
    }
    return &slots_[head % slots_.size()];
  }

  /// Returns the slot from `next` to the producer.
  void release() { head_.fetch_add(1, std::memory_order_release); }

private:
  /// Waiting: spin briefly, then give the core away (the machine may have
  /// fewer cores than busy threads).
  static void pause(unsigned& spins) {
    if (++spins % 64 == 0)
      std::this_thread::yield();
  }

  std::vector<T> slots_;
  alignas(64) std::atomic<size_t> head_{0}; ///< Next slot to read.
  size_t tail_cache_ = 0;                   ///< Consumer's view of tail_.
  alignas(64) std::atomic<size_t> tail_{0}; ///< Next slot to write.
  size_t head_cache_ = 0;                   ///< Producer's view of head_.
  alignas(64) std::atomic<bool> closed_{false};
};

} // namespace sluice::bench
