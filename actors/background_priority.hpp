#pragma once

namespace sluice::actors {

/// Makes the calling thread background work: Linux's batch scheduling
/// class (it no longer preempts a running thread when it wakes) and its
/// nice value raised by `niceness`, so that on a busy core it takes about
/// a third of the CPU at 5 and a tenth at 10. With a core to spare it runs
/// as fast as before. 0 leaves the thread as it is; so do other systems
/// and a refusal (the thread then keeps its priority).
void run_as_background(int niceness) noexcept;

} // namespace sluice::actors
