#include "common/cpu_count.h"

#include <algorithm>
#include <thread>

#if defined(__linux__)
#include <sched.h>
#endif

namespace sentencepiece {

int UsableCpus() {
#if defined(__linux__)
  // (A machine with more CPUs than cpu_set_t holds, 1024, fails here with
  // EINVAL and falls through.)
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) == 0) {
    const int n = CPU_COUNT(&set);
    if (n > 0) return n;
  }
#endif
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

}  // namespace sentencepiece
