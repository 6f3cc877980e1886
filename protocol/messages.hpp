#pragma once

#include "protocol/record_payload.hpp"

#include <caf/meta/type_name.hpp>

#include <cstdint>

namespace sluice::protocol {

/// Records sent on one channel, producer to consumer (rule D1). Never more
/// records than the producer's credit for that channel (rule D3).
struct batch {
  uint32_t input = 0; ///< The consumer's input slot for this channel.
  record_payload records;
  /// The scheduler worker the producer ran on when it sent the batch; -1
  /// if none. Credit in return wakes it there (`peer_homes`).
  int32_t worker = -1;
};

/// Credit for more records on one channel, consumer to producer (rule D2).
/// Sent with high priority: it carries no data and unblocks the producer.
struct demand {
  uint32_t output = 0; ///< The producer's output slot for this channel.
  uint32_t credit = 0; ///< Records the producer may send on top of its credit.
  /// The consumer's scheduler worker when it granted the credit; -1 if
  /// none. The producer's batches wake it there (`peer_homes`).
  int32_t worker = -1;
};

/// In-band, behind the records sent before it: a source's wall-clock time
/// when it sent the marker, so that a sink can tell how long records take
/// to get there (rule D9). One channel per hop carries each marker.
struct latency_marker {
  uint32_t input = 0;    ///< The consumer's input slot.
  int64_t origin_ns = 0; ///< Nanoseconds since the epoch (system clock).
};

/// The producer's last message on a channel (rule D5): nothing follows it.
struct end_of_stream {
  uint32_t input = 0; ///< The consumer's input slot for this channel.
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, batch& x) {
  return f(caf::meta::type_name("sluice::protocol::batch"), x.input, x.records,
           x.worker);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, demand& x) {
  return f(caf::meta::type_name("sluice::protocol::demand"), x.output, x.credit,
           x.worker);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, latency_marker& x) {
  return f(caf::meta::type_name("sluice::protocol::latency_marker"), x.input,
           x.origin_ns);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, end_of_stream& x) {
  return f(caf::meta::type_name("sluice::protocol::end_of_stream"), x.input);
}

} // namespace sluice::protocol
