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
