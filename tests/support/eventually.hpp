#pragma once

#include <chrono>
#include <thread>

namespace sluice::testing {

/// Polls `done` until it holds or `limit` passed; whether it held. Only
/// guards against a hang: tests never assert on how long it took.
template <class Pred>
bool eventually(Pred done,
                std::chrono::seconds limit = std::chrono::seconds{120}) {
  auto until = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() > until)
      return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

} // namespace sluice::testing
