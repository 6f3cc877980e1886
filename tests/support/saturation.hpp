#pragma once

#include "api/job_handle.hpp"

#include <atomic>
#include <string>

namespace sluice::testing {

/// Whether every instance of `stage` was saturated when it last handled a
/// message: an output full and without credit, so that it stopped taking
/// records (a source: stopped reading), rule D4.
inline bool saturated(const job_handle& handle, const std::string& stage) {
  bool any = false;
  for (auto& m : handle.metrics().instances())
    if (m->stage == stage) {
      if (!m->saturated.load(std::memory_order_acquire))
        return false;
      any = true;
    }
  return any;
}

/// Whether every instance of `stage` is saturated and every record it
/// granted credit for has arrived: it takes no more records, and its
/// producers hold no credit for it. Unless something downstream takes
/// records again, the producers then stop in turn.
inline bool stopped_taking(const job_handle& handle, const std::string& stage) {
  bool any = false;
  for (auto& m : handle.metrics().instances())
    if (m->stage == stage) {
      // Acquire first: the credit read next is of that moment or later.
      if (!m->saturated.load(std::memory_order_acquire)
          || m->credit_granted.load(std::memory_order_relaxed) != 0)
        return false;
      any = true;
    }
  return any;
}

} // namespace sluice::testing
