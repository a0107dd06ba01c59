// Running work on several threads: the trainer's only threading helper.

#ifndef SPM_SRC_TRAINER_PARALLEL_H_
#define SPM_SRC_TRAINER_PARALLEL_H_

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <functional>
#include <system_error>
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
// done. Range `index` precedes range `index + 1`. A range whose thread
// cannot be started runs on the calling thread. If calls throw
// (std::bad_alloc, in practice), the first exception is rethrown here once
// every thread has been joined: never std::terminate from a worker, never
// a return while a worker still runs `fn`.
inline void ParallelFor(int threads, size_t n,
                        const std::function<void(size_t begin, size_t end, int index)>& fn) {
  threads = static_cast<int>(std::max<size_t>(1, std::min<size_t>(threads, n)));
  if (threads == 1) {
    fn(0, n, 0);
    return;
  }
  std::vector<std::exception_ptr> errors(threads);
  auto run = [&fn, &errors, n, threads](int t) {
    try {
      fn(n * t / threads, n * (t + 1) / threads, t);
    } catch (...) {
      errors[t] = std::current_exception();
    }
  };
  std::vector<std::thread> workers;
  workers.reserve(threads);
  for (int t = 0; t < threads; ++t) {
    try {
      workers.emplace_back(run, t);
    } catch (const std::system_error&) {
      run(t);  // No thread for it (no memory for its stack): this one.
    }
  }
  for (std::thread& w : workers) w.join();
  for (const std::exception_ptr& e : errors) {
    if (e) std::rethrow_exception(e);
  }
}

// Runs fn(begin, end, worker) over chunks of [0, n) of `chunk` items each,
// on `threads` threads: the chunks go out in order as workers free up
// (for work whose cost varies along [0, n)); worker < threads. Exceptions
// as in ParallelFor (the other workers finish their chunks first).
inline void ForEachChunk(int threads, size_t n, size_t chunk,
                         const std::function<void(size_t begin, size_t end, int worker)>& fn) {
  std::atomic<size_t> next{0};
  ParallelFor(threads, static_cast<size_t>(threads), [&](size_t worker, size_t, int) {
    for (size_t b; (b = next.fetch_add(chunk)) < n;) {
      fn(b, std::min(n, b + chunk), static_cast<int>(worker));
    }
  });
}

}  // namespace sentencepiece

#endif  // SPM_SRC_TRAINER_PARALLEL_H_
