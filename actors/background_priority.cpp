#include "actors/background_priority.hpp"

#if defined(__linux__)
#include <cerrno>

#include <pthread.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace sluice::actors {

void run_as_background(int niceness) noexcept {
#if defined(__linux__)
  if (niceness <= 0)
    return;
  sched_param param{};
  pthread_setschedparam(pthread_self(), SCHED_BATCH, &param);
  // Nice values belong to threads on Linux; the thread's id names it.
  auto tid = static_cast<id_t>(::syscall(SYS_gettid));
  errno = 0;
  auto current = ::getpriority(PRIO_PROCESS, tid);
  if (current == -1 && errno != 0)
    return;
  ::setpriority(PRIO_PROCESS, tid, current + niceness);
#else
  (void)niceness;
#endif
}

} // namespace sluice::actors
