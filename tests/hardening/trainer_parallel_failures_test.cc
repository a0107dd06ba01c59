// The trainer's ParallelFor under an exception in one range (std::bad_alloc
// when memory runs out, in practice): every thread is joined, the other
// ranges finish, and the exception reaches the caller (before, a worker's
// exception was std::terminate: a library Train() call aborted its process).

#include <atomic>
#include <chrono>
#include <new>
#include <stdexcept>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "trainer/parallel.h"

namespace sentencepiece {
namespace {

TEST(TrainerParallelForTest, JoinsEveryThreadThenRethrows) {
  std::vector<std::atomic<int>> finished(4);
  auto fn = [&](size_t, size_t, int index) {
    if (index == 1) throw std::bad_alloc();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    finished[index].store(1);
  };
  EXPECT_THROW(ParallelFor(4, 100, fn), std::bad_alloc);
  for (int t : {0, 2, 3}) EXPECT_EQ(finished[t].load(), 1) << t;
  EXPECT_EQ(finished[1].load(), 0);
}

TEST(TrainerParallelForTest, RethrowsTheFirstRangesException) {
  auto fn = [](size_t, size_t, int index) {
    if (index == 2) throw std::runtime_error("two");
    if (index == 3) throw std::bad_alloc();
  };
  try {
    ParallelFor(4, 4, fn);
    ADD_FAILURE() << "no exception";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "two");
  }
}

}  // namespace
}  // namespace sentencepiece
