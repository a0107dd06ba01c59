#include "common/cpu_count.h"

#include <sched.h>

#include <thread>

#include "gtest/gtest.h"

namespace sentencepiece {
namespace {

TEST(UsableCpusTest, AtLeastOneAndAtMostTheMachine) {
  const int n = UsableCpus();
  EXPECT_GE(n, 1);
  if (std::thread::hardware_concurrency() > 0) {
    EXPECT_LE(n, static_cast<int>(std::thread::hardware_concurrency()));
  }
}

// A thread pinned to one CPU (as `taskset -c 0` pins a process) counts one,
// whatever the machine has.
TEST(UsableCpusTest, FollowsTheAffinityMask) {
  int seen = 0;
  bool pinned = false;
  std::thread t([&] {
    cpu_set_t all;
    CPU_ZERO(&all);
    if (sched_getaffinity(0, sizeof(all), &all) != 0) return;
    int first = 0;
    while (first < CPU_SETSIZE && !CPU_ISSET(first, &all)) ++first;
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(first, &one);
    pinned = sched_setaffinity(0, sizeof(one), &one) == 0;
    seen = UsableCpus();
  });
  t.join();
  ASSERT_TRUE(pinned);
  EXPECT_EQ(seen, 1);
}

}  // namespace
}  // namespace sentencepiece
