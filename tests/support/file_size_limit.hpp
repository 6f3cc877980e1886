#pragma once

#include <csignal>
#include <cstdint>

#include <sys/resource.h>

namespace sluice::testing {

/// Makes every file of this process full at `bytes` while it lives: a write
/// past that offset fails with EFBIG, as one on a full disk fails with
/// ENOSPC (SIGXFSZ, which would end the process, is ignored meanwhile).
/// Needs no privileges and no special file system, so the tests that use it
/// run anywhere. Pipes and terminals have no size: test output still flows.
class file_size_limit {
public:
  explicit file_size_limit(uint64_t bytes) {
    getrlimit(RLIMIT_FSIZE, &saved_);
    previous_ = std::signal(SIGXFSZ, SIG_IGN);
    rlimit lower = saved_;
    lower.rlim_cur = static_cast<rlim_t>(bytes);
    setrlimit(RLIMIT_FSIZE, &lower);
  }

  file_size_limit(const file_size_limit&) = delete;
  file_size_limit& operator=(const file_size_limit&) = delete;

  ~file_size_limit() { lift(); }

  /// Space is back.
  void lift() {
    if (lifted_)
      return;
    lifted_ = true;
    setrlimit(RLIMIT_FSIZE, &saved_);
    std::signal(SIGXFSZ, previous_);
  }

private:
  rlimit saved_{};
  void (*previous_)(int) = SIG_DFL;
  bool lifted_ = false;
};

} // namespace sluice::testing
