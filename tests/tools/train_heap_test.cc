// spm_train's operator new (tools/train_heap.cc), linked into this test as
// into the tool.

#include "train_heap.h"

#include <malloc.h>
#include <sys/stat.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <limits>
#include <memory>
#include <new>
#include <string>

#include "gtest/gtest.h"

namespace sentencepiece {
namespace {

// The VmFlags line of the mapping in /proc/self/smaps that holds `addr`;
// empty if none does.
std::string VmFlagsAt(const void* addr) {
  const auto a = reinterpret_cast<uintptr_t>(addr);
  std::ifstream smaps("/proc/self/smaps");
  std::string line;
  bool inside = false;
  while (std::getline(smaps, line)) {
    uintptr_t lo = 0, hi = 0;
    // A mapping's first line: "lo-hi perms offset dev inode [path]".
    if (std::sscanf(line.c_str(), "%lx-%lx ", &lo, &hi) == 2 && line.find('-') < line.find(' ')) {
      inside = lo <= a && a < hi;
      continue;
    }
    if (inside && line.rfind("VmFlags:", 0) == 0) return line;
  }
  return "";
}

bool Marked(const void* addr) { return (VmFlagsAt(addr) + " ").find(" hg ") != std::string::npos; }

// The kernel takes MADV_HUGEPAGE when it has transparent huge pages at all
// (whether they are then used is its setting).
bool KernelHasHugePages() {
  struct stat st;
  return stat("/sys/kernel/mm/transparent_hugepage", &st) == 0;
}

TEST(TrainHeapTest, LargeBlocksAreMarkedForHugePagesSmallOnesAreNot) {
  mallopt(M_MMAP_THRESHOLD, 1 << 20);  // As spm_train sets it.
  constexpr size_t kLarge = size_t{8} << 20;
  std::unique_ptr<char[]> large(new char[kLarge]);
  std::unique_ptr<char[]> small(new char[64 << 10]);
  // A 2 MB page inside the large block (it spans at least three).
  const uintptr_t middle =
      HugePageFloor(reinterpret_cast<uintptr_t>(large.get()) + 2 * kHugePageBytes);
  const void* inside = reinterpret_cast<const void*>(middle);
  ASSERT_FALSE(VmFlagsAt(inside).empty());
  EXPECT_EQ(Marked(inside), kTrainHeapAdvisesHugePages && KernelHasHugePages())
      << VmFlagsAt(inside);
  EXPECT_FALSE(Marked(small.get())) << VmFlagsAt(small.get());
  // The memory is the caller's, whole.
  std::memset(large.get(), 'x', kLarge);
  EXPECT_EQ(large[0] + large[kLarge - 1], 2 * 'x');
}

TEST(TrainHeapTest, FailureCallsTheNewHandlerThenThrows) {
  // (Under the sanitizers operator new is their runtime's, which reports an
  // impossible size instead of throwing.)
  if (!kTrainHeapAdvisesHugePages) GTEST_SKIP() << "operator new is not train_heap.cc's here";
  const size_t impossible = std::numeric_limits<size_t>::max() / 2;
  static int calls;
  calls = 0;
  // A handler that gives up on its second call: operator new must retry
  // after the first and throw once no handler is left.
  std::set_new_handler([] {
    if (++calls == 2) std::set_new_handler(nullptr);
  });
  EXPECT_THROW(static_cast<void>(::operator new(impossible)), std::bad_alloc);
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(::operator new(impossible, std::nothrow), nullptr);
  void* zero = ::operator new(0);  // A unique pointer, not null.
  EXPECT_NE(zero, nullptr);
  ::operator delete(zero);
}

}  // namespace
}  // namespace sentencepiece
