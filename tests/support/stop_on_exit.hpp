#pragma once

#include "api/job_handle.hpp"

#include <chrono>
#include <cstdlib>
#include <iostream>

namespace sluice::testing {

/// Stops a started job when the test leaves its scope, also when a
/// `BOOST_TEST_REQUIRE` failed half-way: an endless job left running would
/// keep `~actor_system` waiting, and one failed check would hang the suite
/// until CTest's timeout. A job that does not stop within `limit` aborts the
/// test executable at once, with a message, instead.
class stop_on_exit {
public:
  explicit stop_on_exit(job_handle& handle,
                        std::chrono::seconds limit = std::chrono::seconds{60})
      : handle_(handle), limit_(limit) {}

  stop_on_exit(const stop_on_exit&) = delete;
  stop_on_exit& operator=(const stop_on_exit&) = delete;

  ~stop_on_exit() {
    if (handle_.done())
      return;
    handle_.stop();
    if (!handle_.wait_for(limit_)) {
      std::cerr << "job '" << handle_.name() << "' did not stop within "
                << limit_.count() << " s after the test ended" << std::endl;
      std::abort();
    }
  }

private:
  job_handle& handle_;
  std::chrono::seconds limit_;
};

} // namespace sluice::testing
