#pragma once

#include "protocol/checkpoint_messages.hpp"
#include "protocol/record_payload.hpp"

#include <cstdint>

namespace sluice::protocol {

/// Takes the batches that an instance's outputs release; implemented by the
/// hosting actor, which sends them.
class batch_shipper {
public:
  virtual void ship(uint32_t output, record_payload&& records) = 0;

  virtual void ship_barrier(uint32_t output, const barrier_mark& mark) = 0;

  virtual void ship_latency_marker(uint32_t output, int64_t origin_ns) = 0;

protected:
  ~batch_shipper() = default;
};

/// What to release from the output buffers.
enum class flush_mode : uint8_t {
  full_batches, ///< Only full batches: the normal case after processing.
  everything,   ///< Partial batches too: the linger expired, or input ended.
};

/// The untyped face of one instance's outputs: per output channel a buffer
/// and the credit granted by its consumer. Driven by the hosting actor;
/// implemented by `output_router<T>`.
class output_port {
public:
  virtual ~output_port() = default;

  /// Number of output channels (slots) over all outgoing edges.
  virtual size_t num_outputs() const = 0;

  /// The consumer of `output` granted `credit` more records (rule D2).
  virtual void grant(uint32_t output, uint64_t credit) = 0;

  /// Ships what the credit allows, in batches of at most the batch size and
  /// never more records than the credit (rule D3). Records ahead of a
  /// barrier leave without waiting for a full batch; a barrier leaves as
  /// soon as the records ahead of it did, credit or not (rule C2).
  virtual void flush(flush_mode mode, batch_shipper& to) = 0;

  /// Puts a barrier on every output channel behind the records already
  /// there, and ships what can leave.
  virtual void emit_barrier(const barrier_mark& mark, batch_shipper& to) = 0;

  /// Puts a latency marker on one output channel (each in turn) behind the
  /// records already there (rule D9).
  virtual void emit_latency_marker(int64_t origin_ns, batch_shipper& to) = 0;

  /// True while some channel holds a full batch it has no credit for: the
  /// instance must not consume more input (rule D4), so that pressure
  /// travels upstream instead of filling memory.
  virtual bool saturated() const = 0;

  /// Records in the output buffers.
  virtual uint64_t buffered() const = 0;

  /// Credit held for all outputs.
  virtual uint64_t credit() const = 0;

  /// Records shipped so far.
  virtual uint64_t shipped() const = 0;
};

} // namespace sluice::protocol
