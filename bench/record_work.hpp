#pragma once

#include "protocol/key_hash.hpp"

#include <caf/meta/type_name.hpp>

#include <array>
#include <cstdint>
#include <string>

namespace sluice::bench {

// The per-record work of the stateless case, written once so that Sluice
// and every baseline (SPSC threads, CAF actors, CAF streams) do exactly the
// same: the source makes `make_event(i, random_of(input_seed, i))` for its
// indices, the map applies `map_event`, the sink sums `digest`.

/// Seed of every generated input: all runs see the same records.
constexpr uint64_t input_seed = 42;

/// The pseudo-random number that `sluice::generate` draws for `index` (see
/// `connectors/generator.hpp`); the baselines draw the same.
constexpr uint64_t random_of(uint64_t seed, uint64_t index) noexcept {
  return protocol::mix64(seed ^ protocol::mix64(index));
}

/// The record of the stateless case: an integer, a timestamp and a short
/// string (short enough for the small-string buffer: no allocation).
struct event {
  uint64_t value = 0;
  /// Nanoseconds. Throughput runs carry event time (1 us per index), so
  /// that no clock is read per record; the latency case stamps the steady
  /// clock's time of creation.
  int64_t time_ns = 0;
  std::string tag;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, event& x) {
  return f(caf::meta::type_name("sluice::bench::event"), x.value, x.time_ns,
           x.tag);
}

/// The tags events carry, 9 characters each.
inline const std::array<std::string, 16> event_tags = {
  "sensor-00", "sensor-01", "sensor-02", "sensor-03", "sensor-04", "sensor-05",
  "sensor-06", "sensor-07", "sensor-08", "sensor-09", "sensor-10", "sensor-11",
  "sensor-12", "sensor-13", "sensor-14", "sensor-15"};

/// Record `index` of the stateless case.
inline event make_event(uint64_t index, uint64_t random) {
  return event{random, static_cast<int64_t>(index) * 1000,
               event_tags[random & 15]};
}

/// The stateless case's map: cheap on purpose, so that the figures show
/// what moving records costs. Builds a new record, as `stream::map` does.
inline event map_event(const event& x) {
  return event{x.value * 2 + 1, x.time_ns, x.tag};
}

/// What the sink of the stateless case adds to its sum, wrapping.
inline uint64_t digest(const event& x) noexcept {
  return x.value + static_cast<uint64_t>(x.time_ns) + x.tag.size() * 131
         + static_cast<unsigned char>(x.tag.back());
}

/// The digest the sink must see for record `index` of the stateless case.
struct stateless_digest {
  uint64_t operator()(uint64_t index) const {
    return digest(map_event(make_event(index, random_of(input_seed, index))));
  }
};

} // namespace sluice::bench
