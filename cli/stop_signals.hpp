#pragma once

#include <csignal>
#include <initializer_list>

#include <pthread.h>

namespace sluice::cli {

/// Blocks SIGINT, SIGTERM and `extra` in the calling thread and returns
/// them as a set for `sigwait`. Called before the actor system starts its
/// threads, which inherit the mask: the signals then reach the command's
/// own wait, never a handler on some worker.
inline sigset_t block_stop_signals(std::initializer_list<int> extra = {}) {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  for (auto sig : extra)
    sigaddset(&signals, sig);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  return signals;
}

} // namespace sluice::cli
