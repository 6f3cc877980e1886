#include "actors/background_priority.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cerrno>
#include <thread>
#include <utility>

#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

using sluice::actors::run_as_background;

namespace {

struct priority {
  int policy = -1;
  int nice = 0;
};

priority of_this_thread() {
  auto tid = static_cast<id_t>(::syscall(SYS_gettid));
  errno = 0;
  return {sched_getscheduler(0), getpriority(PRIO_PROCESS, tid)};
}

/// What `run_as_background(niceness)` makes of a fresh thread, before and
/// after; the test's own thread keeps its priority.
std::pair<priority, priority> on_a_thread(int niceness) {
  std::pair<priority, priority> result;
  std::thread t{[&] {
    result.first = of_this_thread();
    run_as_background(niceness);
    result.second = of_this_thread();
  }};
  t.join();
  return result;
}

} // namespace

BOOST_AUTO_TEST_SUITE(background_priority_tests)

BOOST_AUTO_TEST_CASE(background_work_yields_to_the_data_path) {
  auto [before, after] = on_a_thread(5);
  BOOST_TEST(after.policy == SCHED_BATCH);
  BOOST_TEST(after.nice == std::min(before.nice + 5, 19));
  // Only that thread: this one is as it was.
  BOOST_TEST(of_this_thread().policy == before.policy);
  BOOST_TEST(of_this_thread().nice == before.nice);
}

BOOST_AUTO_TEST_CASE(niceness_zero_leaves_the_thread_as_it_is) {
  auto [before, after] = on_a_thread(0);
  BOOST_TEST(after.policy == before.policy);
  BOOST_TEST(after.nice == before.nice);
}

BOOST_AUTO_TEST_SUITE_END()
