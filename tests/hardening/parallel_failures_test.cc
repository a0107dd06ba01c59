// Exceptions inside the parallel loops (std::bad_alloc when memory runs
// out, in practice): batch::ParallelFor (EncodeBatch's pool) and the
// trainer's ParallelFor hand the first one to their caller once no thread
// runs the work any more. Before, a worker's exception was std::terminate
// (a library user's process aborted), and one on the calling thread left
// the loop while workers still ran the caller's function. Built with TSan
// by scripts/sanitize.sh, with the concurrency test.

#include <atomic>
#include <chrono>
#include <new>
#include <thread>
#include <vector>

#include "batch_encoder.h"
#include "gtest/gtest.h"

namespace sentencepiece {
namespace {

constexpr size_t kChunks = 2000;

void Pause() { std::this_thread::sleep_for(std::chrono::microseconds(50)); }

// Waits (up to 10 s) until `flag` is set.
void AwaitFlag(const std::atomic<bool>& flag) {
  for (int i = 0; i < 10000 && !flag.load(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

TEST(BatchParallelForTest, RethrowsWhatAWorkerThrows) {
  const std::thread::id caller = std::this_thread::get_id();
  std::atomic<bool> worker_threw{false};
  auto fn = [&](size_t, size_t, size_t) {
    Pause();
    if (std::this_thread::get_id() == caller) {
      AwaitFlag(worker_threw);  // So that a worker gets a chunk.
    } else if (!worker_threw.exchange(true)) {
      throw std::bad_alloc();
    }
  };
  EXPECT_THROW(batch::ParallelFor(kChunks, 1, 4, fn), std::bad_alloc);
  EXPECT_TRUE(worker_threw.load());

  // The pool is intact: a later loop covers every item once.
  std::vector<std::atomic<int>> seen(kChunks);
  batch::ParallelFor(kChunks, 3, 4, [&](size_t, size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) seen[i].fetch_add(1);
  });
  for (size_t i = 0; i < kChunks; ++i) ASSERT_EQ(seen[i].load(), 1) << i;
}

TEST(BatchParallelForTest, ReturnsOnlyWhenNoThreadRunsTheFunction) {
  const std::thread::id caller = std::this_thread::get_id();
  std::atomic<bool> worker_started{false};
  std::atomic<int> running{0};
  std::atomic<int> calls{0};
  auto fn = [&](size_t, size_t, size_t) {
    running.fetch_add(1);
    calls.fetch_add(1);
    if (std::this_thread::get_id() == caller) {
      AwaitFlag(worker_started);
      running.fetch_sub(1);
      throw std::bad_alloc();  // While a worker is inside fn.
    }
    worker_started.store(true);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    running.fetch_sub(1);
  };
  EXPECT_THROW(batch::ParallelFor(kChunks, 1, 4, fn), std::bad_alloc);
  EXPECT_EQ(running.load(), 0);
  const int after = calls.load();
  EXPECT_LT(after, static_cast<int>(kChunks));  // The rest were skipped.
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(calls.load(), after);
}

TEST(BatchParallelForTest, OneThreadThrowsStraightThrough) {
  int calls = 0;
  EXPECT_THROW(batch::ParallelFor(10, 1, 1,
                                  [&](size_t chunk, size_t, size_t) {
                                    ++calls;
                                    if (chunk == 3) throw std::bad_alloc();
                                  }),
               std::bad_alloc);
  EXPECT_EQ(calls, 4);
}

}  // namespace
}  // namespace sentencepiece
