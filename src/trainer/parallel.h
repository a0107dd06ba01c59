// Running work on several threads: the trainer's only threading helper.

#ifndef SPM_SRC_TRAINER_PARALLEL_H_
#define SPM_SRC_TRAINER_PARALLEL_H_

#include <algorithm>
#include <cstddef>
#include <functional>
#include <thread>
#include <vector>

#include "common/cpu_count.h"

namespace sentencepiece {

// The number of threads to use for `requested` (the spec's num_threads):
// at most the CPUs the process may run on (common/cpu_count.h), at least 1.
inline int EffectiveThreads(int requested) {
  return std::max(1, std::min(requested, UsableCpus()));
}

// Splits [0, n) into `threads` contiguous ranges (fewer if n is small) and
// runs fn(begin, end, index) for each, in parallel; returns when all are
// done. Range `index` precedes range `index + 1`.
inline void ParallelFor(int threads, size_t n,
                        const std::function<void(size_t begin, size_t end, int index)>& fn) {
  threads = static_cast<int>(std::max<size_t>(1, std::min<size_t>(threads, n)));
  if (threads == 1) {
    fn(0, n, 0);
    return;
  }
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    const size_t begin = n * t / threads, end = n * (t + 1) / threads;
    workers.emplace_back([&fn, begin, end, t] { fn(begin, end, t); });
  }
  for (std::thread& w : workers) w.join();
}

}  // namespace sentencepiece

#endif  // SPM_SRC_TRAINER_PARALLEL_H_
