#include "common/zero_pages.h"

#include <atomic>
#include <cstdint>
#include <limits>
#include <new>
#include <utility>

#include "gtest/gtest.h"

namespace sentencepiece {
namespace {

TEST(ZeroPageArrayTest, StartsZeroedAndHoldsWrites) {
  constexpr size_t kN = size_t{1} << 18;  // 2 MB: many pages.
  ZeroPageArray<uint64_t> a(kN);
  ASSERT_TRUE(a);
  for (size_t i = 0; i < kN; i += 509) EXPECT_EQ(a[i], 0u) << i;
  a[0] = 1;
  a[kN - 1] = 2;
  EXPECT_EQ(a.get()[0], 1u);
  EXPECT_EQ(a[kN - 1], 2u);
}

TEST(ZeroPagesTest, HugeMappingsAreAlignedZeroedAndWritable) {
  for (const bool populate : {false, true}) {
    const size_t bytes = 2 * kHugePageBytes;
    auto* p = static_cast<char*>(MapZeroPages(bytes, populate, /*huge=*/true));
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % kHugePageBytes, 0u);
    for (size_t i = 0; i < bytes; i += 4093) ASSERT_EQ(p[i], 0) << i;
    p[0] = 1;
    p[bytes - 1] = 2;
    EXPECT_EQ(p[0] + p[bytes - 1], 3);
    UnmapZeroPages(p, bytes);
  }
  ZeroPageArray<uint64_t> a(kHugePageBytes / 8, /*huge=*/true);
  ASSERT_TRUE(a);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(a.get()) % kHugePageBytes, 0u);
  a[kHugePageBytes / 8 - 1] = 9;
  EXPECT_EQ(a[kHugePageBytes / 8 - 1], 9u);
  EXPECT_EQ(a[0], 0u);
}

// A reservation far larger than what is touched (4 GB): aligned, zeroed,
// and writable at both ends and in between.
TEST(ZeroPagesTest, ReservationsAreAlignedZeroedAndWritableAnywhere) {
  constexpr size_t kBytes = size_t{4} << 30;
  auto* p = static_cast<char*>(ReserveZeroPages(kBytes, kHugePageBytes));
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % kHugePageBytes, 0u);
  for (size_t at : {size_t{0}, size_t{4095}, kHugePageBytes + 17, kBytes / 2, kBytes - 1}) {
    EXPECT_EQ(p[at], 0) << at;
    p[at] = 'x';
    EXPECT_EQ(p[at], 'x') << at;
  }
  UnmapZeroPages(p, kBytes);
}

// Dense arrays come from the heap in a process that takes tables from it
// (the tools), zeroed, and are freed the way they came (ASan checks);
// elsewhere they are mapped pages like any other.
TEST(ZeroPageArrayTest, DenseArraysComeFromTheHeapWhereTablesDo) {
  constexpr size_t kN = 70000;  // (The size of the per-character tables.)
  SetTablesFromHeap(true);
  {
    auto a = ZeroPageArray<uint64_t>::TryAllocateDense(kN);
    ASSERT_TRUE(a);
    EXPECT_TRUE(a.from_heap());
    EXPECT_EQ(reinterpret_cast<uintptr_t>(a.get()) % 64, 0u);
    for (size_t i = 0; i < kN; ++i) ASSERT_EQ(a[i], 0u) << i;
    a[kN - 1] = 5;
    ZeroPageArray<uint64_t> b = std::move(a);
    EXPECT_FALSE(a);
    EXPECT_TRUE(b.from_heap());
    EXPECT_EQ(b[kN - 1], 5u);
  }
  SetTablesFromHeap(false);
  auto c = ZeroPageArray<uint64_t>::TryAllocateDense(kN);
  ASSERT_TRUE(c);
  EXPECT_FALSE(c.from_heap());
  EXPECT_EQ(c[kN - 1], 0u);
}

TEST(ZeroPageArrayTest, AtomicElements) {
  ZeroPageArray<std::atomic<uint64_t>> a(4096);
  EXPECT_EQ(a[4095].load(), 0u);
  a[4095].store(7);
  EXPECT_EQ(a[4095].load(), 7u);
}

TEST(ZeroPageArrayTest, MovesOwnership) {
  ZeroPageArray<int32_t> a(1000);
  a[999] = 5;
  int32_t* const data = a.get();
  ZeroPageArray<int32_t> b(std::move(a));
  EXPECT_FALSE(a);
  EXPECT_EQ(b.get(), data);
  ZeroPageArray<int32_t> c(10);
  c = std::move(b);
  EXPECT_EQ(c.get(), data);
  EXPECT_EQ(c[999], 5);
}

TEST(ZeroPageArrayTest, EmptyAndImpossibleSizes) {
  EXPECT_FALSE(ZeroPageArray<uint64_t>());
  EXPECT_FALSE(ZeroPageArray<uint64_t>(0));
  // Bytes that overflow size_t, and bytes no system can map.
  for (const size_t too_many : {std::numeric_limits<size_t>::max() / 4,
                                std::numeric_limits<size_t>::max() / 16}) {
    EXPECT_FALSE(ZeroPageArray<uint64_t>::TryAllocate(too_many)) << too_many;
    EXPECT_THROW(ZeroPageArray<uint64_t> a(too_many), std::bad_alloc) << too_many;
  }
  EXPECT_TRUE(ZeroPageArray<uint64_t>::TryAllocate(16));
}

}  // namespace
}  // namespace sentencepiece
