#pragma once

#include "protocol/job_graph.hpp"

#include <cstdint>
#include <vector>

namespace sluice::protocol {

/// Splits a job's instances into failover regions: the instances joined by
/// channels, directly or not (rule R1). A failed instance takes its region
/// down and back; the others never exchange a record with it, so they go
/// on. With forward edges only, a region is one pipeline; a keyed or
/// rebalancing edge joins all instances of the stages it links.
class failover_regions {
public:
  explicit failover_regions(const topology& t);

  /// Region of an instance.
  uint32_t of(uint32_t stage, uint32_t instance) const {
    return region_[stage][instance];
  }

  size_t count() const noexcept { return count_; }

private:
  std::vector<std::vector<uint32_t>> region_; ///< [stage][instance]
  size_t count_ = 0;
};

} // namespace sluice::protocol
