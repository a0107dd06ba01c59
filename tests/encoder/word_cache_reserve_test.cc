// WordCache::Reserve() and WordCacheHolder::ExpectInput(): a cache sized
// up front for the words an input is expected to bring.

#include <cstdint>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "encoder/word_cache.h"
#include "gtest/gtest.h"

namespace sentencepiece {
namespace {

bool Store(WordCache* cache, const std::string& word, uint32_t value) {
  return cache->Insert(word, HashWord(word), &value, sizeof(value)) != nullptr;
}

// The value stored for `word`, or -1 if it is not there.
int64_t Lookup(const WordCache& cache, const std::string& word) {
  const WordCache::Entry* e = cache.Find(word, HashWord(word));
  if (e == nullptr) return -1;
  uint32_t v;
  std::memcpy(&v, e->value(), sizeof(v));
  return v;
}

// Five eighths of a table's slots take words before it grows (half in the
// largest): 100,000 words need 2^18 slots (163,840), 2^17 take 81,920.
constexpr size_t kWords = 100000;
constexpr size_t kSlotsForWords = size_t{1} << 18;

TEST(WordCacheReserveTest, GrowsOnceToWhatTheWordsNeedAndKeepsWhatItHolds) {
  WordCache cache(1, 20);
  for (uint32_t i = 0; i < 1000; ++i) ASSERT_TRUE(Store(&cache, "a" + std::to_string(i), i));
  ASSERT_LT(cache.num_slots(), kSlotsForWords);
  cache.Reserve(kWords);
  EXPECT_EQ(cache.num_slots(), kSlotsForWords);
  for (uint32_t i = 0; i < 1000; ++i) ASSERT_EQ(Lookup(cache, "a" + std::to_string(i)), i);
  // As many words as reserved: no more growth.
  for (uint32_t i = 1000; i < kWords; ++i) ASSERT_TRUE(Store(&cache, "b" + std::to_string(i), i));
  EXPECT_EQ(cache.num_slots(), kSlotsForWords);
  EXPECT_EQ(cache.size(), kWords);
  // Fewer words than the table holds already, or none: no change.
  cache.Reserve(10);
  cache.Reserve(0);
  EXPECT_EQ(cache.num_slots(), kSlotsForWords);
}

TEST(WordCacheReserveTest, StopsAtTheLargestTable) {
  WordCache cache(1, 14);
  cache.Reserve(size_t{1} << 30);
  EXPECT_EQ(cache.num_slots(), size_t{1} << 14);
  EXPECT_TRUE(Store(&cache, "still", 3));
  EXPECT_EQ(Lookup(cache, "still"), 3);
}

// Reserve() while other threads insert: every word they stored is there
// afterwards (the growth copies the table as Insert()'s own growth does).
TEST(WordCacheReserveTest, InsertsDuringAReserveAreKept) {
  WordCache cache(1, 20);
  constexpr int kThreads = 2;
  constexpr uint32_t kPerThread = 30000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&cache, t] {
      for (uint32_t i = 0; i < kPerThread; ++i) {
        const std::string w = "t" + std::to_string(t) + "w" + std::to_string(i);
        while (!Store(&cache, w, i)) {
        }
      }
    });
  }
  for (size_t words = 1000; words <= 2 * kWords; words *= 2) cache.Reserve(words);
  for (std::thread& t : threads) t.join();
  for (int t = 0; t < kThreads; ++t) {
    for (uint32_t i = 0; i < kPerThread; ++i) {
      ASSERT_EQ(Lookup(cache, "t" + std::to_string(t) + "w" + std::to_string(i)), i);
    }
  }
}

// A cache expecting more words than the arena's small pages hold (256 KB
// of entries) hands out regions from 2 MB on, where pages are huge, from
// its first word; one expecting a few starts at the arena's beginning.
TEST(WordCacheReserveTest, ManyWordsExpectedStartInTheHugePages) {
  constexpr size_t kHuge = size_t{2} << 20;
  WordCache few(1, 20, 1000);
  ASSERT_TRUE(Store(&few, "w", 1));
  EXPECT_LT(few.arena_bytes_used(), kHuge);
  WordCache many(2, 20, kWords);
  ASSERT_TRUE(Store(&many, "w", 1));
  EXPECT_GT(many.arena_bytes_used(), kHuge);
  EXPECT_EQ(Lookup(many, "w"), 1);
  // Reserve() on a cache in use: its next regions come from there.
  WordCache grown(3, 20);
  for (uint32_t i = 0; i < 100; ++i) ASSERT_TRUE(Store(&grown, "a" + std::to_string(i), i));
  ASSERT_LT(grown.arena_bytes_used(), kHuge);
  grown.Reserve(kWords);
  for (uint32_t i = 0; i < 5000; ++i) ASSERT_TRUE(Store(&grown, "b" + std::to_string(i), i));
  EXPECT_GT(grown.arena_bytes_used(), kHuge);
  for (uint32_t i = 0; i < 100; ++i) ASSERT_EQ(Lookup(grown, "a" + std::to_string(i)), i);
  for (uint32_t i = 0; i < 5000; ++i) ASSERT_EQ(Lookup(grown, "b" + std::to_string(i)), i);
}

TEST(WordCacheHolderTest, ExpectInputSizesTheCurrentCacheAndLaterOnes) {
  WordCacheHolder plain;
  const size_t initial = plain.Get(1)->num_slots();
  ASSERT_LT(initial, kSlotsForWords);

  WordCacheHolder holder;
  WordCache* a = holder.Get(1);
  ASSERT_TRUE(Store(a, "x", 7));
  const size_t bytes = kWords * 64;
  ASSERT_EQ(WordCache::ExpectedWords(bytes), kWords);
  holder.ExpectInput(bytes);
  EXPECT_EQ(a->num_slots(), kSlotsForWords);
  EXPECT_EQ(Lookup(*a, "x"), 7);
  // A cache made later (a new vocabulary) starts at that size; a smaller
  // input announced later does not lower it.
  holder.ExpectInput(64);
  WordCache* b = holder.Get(2);
  EXPECT_NE(b, a);
  EXPECT_EQ(b->num_slots(), kSlotsForWords);
  // A small input leaves a new cache as small as ever.
  WordCacheHolder small;
  small.ExpectInput(64 * 100);
  EXPECT_EQ(small.Get(1)->num_slots(), initial);
}

}  // namespace
}  // namespace sentencepiece
