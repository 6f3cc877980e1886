#pragma once

#include "protocol/key_hash.hpp"

#include <cstdint>

namespace sluice::bench {

// The per-record work every pipeline of the benchmark does, written once so
// that Sluice and the plain-actor baseline do exactly the same.

/// Seed of every generated input: all runs see the same records.
constexpr uint64_t input_seed = 42;

/// The pseudo-random number that `sluice::generate` draws for `index` (see
/// `connectors/generator.hpp`); the baseline source draws the same.
constexpr uint64_t random_of(uint64_t seed, uint64_t index) noexcept {
  return protocol::mix64(seed ^ protocol::mix64(index));
}

/// Record `index` of the stateless case: its random number.
constexpr uint64_t stateless_record(uint64_t, uint64_t random) noexcept {
  return random;
}

/// The stateless case's map: cheap on purpose, so that the figures show
/// what the framework costs per record.
constexpr uint64_t stateless_map(uint64_t x) noexcept {
  return x * 2 + 1;
}

/// What the sink of a stateless pipeline sums up, wrapping: the same for
/// every correct run of `records` records, whatever the batching.
inline uint64_t stateless_checksum(uint64_t records) noexcept {
  uint64_t sum = 0;
  for (uint64_t i = 0; i < records; ++i)
    sum += stateless_map(stateless_record(i, random_of(input_seed, i)));
  return sum;
}

} // namespace sluice::bench
