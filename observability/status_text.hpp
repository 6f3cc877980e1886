#pragma once

#include "observability/job_sample.hpp"

#include <ostream>
#include <string>
#include <string_view>

namespace sluice::observability {

/// How hard an instance is held back, as the dashboard colours it.
enum class pressure : uint8_t {
  calm,      ///< Backpressured less than 10 % of the time.
  busy,      ///< 10 % to 50 %.
  saturated, ///< Half the time or more.
};

pressure pressure_of(double backpressured_share) noexcept;

std::string to_string(pressure x);

inline std::ostream& operator<<(std::ostream& os, pressure x) {
  return os << to_string(x);
}

/// The dashboard's picture as text, for `sluice status`: the job, each
/// stage instance with its rate, backlog, credit and backpressure, the
/// edges, the recent checkpoints, the recoveries and the latency. At most
/// `checkpoint_rows` checkpoints are listed, the latest last.
std::string status_text(const job_sample& s, size_t checkpoint_rows = 10);

/// `bytes` for people: "512 B", "1.5 KiB", "3.2 MiB".
std::string format_bytes(uint64_t bytes);

/// `seconds` for people: "850 us", "12.3 ms", "4.56 s".
std::string format_duration(double seconds);

} // namespace sluice::observability
