#pragma once

#include <cstdint>
#include <fstream>
#include <string>

#include <unistd.h>

namespace sluice::testing {

/// Whether the resident set tells what the engine holds. Under
/// AddressSanitizer it does not: freed memory waits in its quarantine (256
/// MiB by default) before it is reused.
#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool resident_set_measures_the_engine = false;
#else
inline constexpr bool resident_set_measures_the_engine = true;
#endif

/// Resident set size of this process in bytes, from /proc/self/statm.
inline uint64_t resident_bytes() {
  std::ifstream statm{"/proc/self/statm"};
  uint64_t pages_total = 0;
  uint64_t pages_resident = 0;
  statm >> pages_total >> pages_resident;
  return pages_resident * static_cast<uint64_t>(::sysconf(_SC_PAGESIZE));
}

} // namespace sluice::testing
