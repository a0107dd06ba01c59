#include "encoder/word_cache.h"

#include <sys/resource.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "common/zero_pages.h"
#include "encoder/pair_map.h"
#include "encoder/piece_table.h"
#include "gtest/gtest.h"

namespace sentencepiece {
namespace {

const WordCache::Entry* Put(WordCache* cache, const std::string& word, uint32_t value) {
  return cache->Insert(word, HashWord(word), &value, sizeof(value));
}

uint32_t ValueOf(const WordCache::Entry* e) {
  uint32_t v;
  std::memcpy(&v, e->value(), sizeof(v));
  return v;
}

TEST(HashWordTest, DependsOnEveryByteAndTheLength) {
  const std::string base = "abcdefghijklmnopqrstuvwxyz0123";
  for (size_t n = 0; n <= base.size(); ++n) {
    const std::string w = base.substr(0, n);
    if (n > 0) {
      EXPECT_NE(HashWord(w), HashWord(base.substr(0, n - 1))) << n;
    }
    for (size_t i = 0; i < n; ++i) {
      std::string changed = w;
      changed[i] ^= 1;
      EXPECT_NE(HashWord(w), HashWord(changed)) << n << " " << i;
    }
  }
  EXPECT_NE(HashWord(std::string("\0", 1)), HashWord(""));
}

TEST(SameBytesTest, SeesADifferenceAtEveryPositionOfEveryLength) {
  // Both ranges end at their buffer's end, so that a read past either
  // would show under ASan.
  for (size_t n = 0; n <= 40; ++n) {
    const std::string a(n, 'q');
    std::unique_ptr<char[]> b(new char[n > 0 ? n : 1]);
    std::memcpy(b.get(), a.data(), n);
    EXPECT_TRUE(SameBytes(a.data(), b.get(), n)) << n;
    for (size_t i = 0; i < n; ++i) {
      b[i] = 'r';
      EXPECT_FALSE(SameBytes(a.data(), b.get(), n)) << n << " " << i;
      EXPECT_FALSE(SameBytes(b.get(), a.data(), n)) << n << " " << i;
      b[i] = 'q';
    }
  }
}

TEST(ShortWordTest, BothReadsGiveTheSameNumberAndTheNumberTellsTheWord) {
  // Each word ends its buffer (ASan sees a read past it); the one-load read
  // takes the 8 bytes before the word's end from a buffer that has them.
  std::vector<uint64_t> seen;
  for (size_t n = 1; n <= kShortWordBytes; ++n) {
    for (const std::string& w :
         {std::string(n, 'a'), std::string(n, '\0'), std::string("zyxwvuts").substr(0, n)}) {
      std::unique_ptr<char[]> alone(new char[n]);
      std::memcpy(alone.get(), w.data(), n);
      const uint64_t bytes = ShortWordBytes(alone.get(), n);
      const std::string in_text = "0123456789" + w;
      EXPECT_EQ(ShortWordBytesBefore(in_text.data() + in_text.size(), n), bytes) << n;
      std::string back(n, ' ');
      std::memcpy(back.data(), &bytes, n);
      EXPECT_EQ(back, w);
      EXPECT_EQ(bytes >> (8 * n - 1) >> 1, 0u) << n;  // Zero above the word.
    }
  }
  // Words that differ only in length hash apart.
  EXPECT_NE(HashShortWord(ShortWordBytes("ab\0", 3), 3), HashShortWord(ShortWordBytes("ab", 2), 2));
}

TEST(WordCacheTest, FindShortFindsShortWordsByLengthAndBytes) {
  WordCache cache(1, 16);
  auto put = [&cache](const std::string& w, uint32_t value) {
    return cache.Insert(w, HashShortWord(ShortWordBytes(w.data(), w.size()), w.size()), &value,
                        sizeof(value));
  };
  auto find = [&cache](const std::string& w) {
    return cache.FindShort(ShortWordBytes(w.data(), w.size()), w.size(),
                           HashShortWord(ShortWordBytes(w.data(), w.size()), w.size()));
  };
  const std::vector<std::string> words = {"a", "ab", std::string("ab\0", 3), "the", "12345678",
                                          std::string(8, '\0'), "\xE2\x96\x81of"};
  for (size_t i = 0; i < words.size(); ++i) ASSERT_NE(put(words[i], static_cast<uint32_t>(i)), nullptr);
  for (size_t i = 0; i < words.size(); ++i) {
    const WordCache::Entry* e = find(words[i]);
    ASSERT_NE(e, nullptr) << i;
    EXPECT_EQ(e->key(), words[i]);
    EXPECT_EQ(ValueOf(e), i);
  }
  EXPECT_EQ(find("b"), nullptr);
  EXPECT_EQ(find(std::string("a\0", 2)), nullptr);
  EXPECT_EQ(find("1234567"), nullptr);
  // Many more, through growth: each found, under its own value.
  for (uint32_t i = 0; i < 20000; ++i) ASSERT_NE(put("w" + std::to_string(i), 100 + i), nullptr);
  for (uint32_t i = 0; i < 20000; ++i) {
    const WordCache::Entry* e = find("w" + std::to_string(i));
    ASSERT_NE(e, nullptr) << i;
    EXPECT_EQ(ValueOf(e), 100 + i);
  }
}

TEST(LikelyUnrepeatedTest, RunsOfUnspacedScriptsOnly) {
  const std::string ws = "\xE2\x96\x81";
  EXPECT_FALSE(LikelyUnrepeated(""));
  EXPECT_FALSE(LikelyUnrepeated(ws + "internationalization"));
  // Punctuation and symbols of U+2000..U+2FFF do not count.
  EXPECT_FALSE(LikelyUnrepeated(ws + "\xE2\x80\x94\xE2\x80\x9C\xE2\x80\x9D\xE2\x80\xA6\xE2\x82\xAC"));
  // Four CJK characters: still cached; five: not.
  const std::string han = "\xE6\xBC\xA2";  // 漢
  EXPECT_FALSE(LikelyUnrepeated(ws + han + han + han + han));
  EXPECT_TRUE(LikelyUnrepeated(han + han + han + han + han));
  EXPECT_TRUE(LikelyUnrepeated(ws + "ab" + han + "c" + han + han + "d" + han + han));
  EXPECT_TRUE(LikelyUnrepeated(std::string(20, 'x') + han + han + han + han + han));
}

// The 8-byte count against a count byte by byte, on random words of 0-80
// bytes drawn mostly from the bytes that matter (0xE0-0xEF, 0xE2, trail
// bytes, ASCII, 0x00, 0xFF), lead bytes at any offset in a block.
TEST(LikelyUnrepeatedTest, CountsLeadBytesAsTheDefinitionDoes) {
  auto by_bytes = [](const std::string& w) {
    if (w.size() < 15) return false;
    int n = 0;
    for (const char c : w) {
      const auto b = static_cast<unsigned char>(c);
      n += (b & 0xF0) == 0xE0 && b != 0xE2;
    }
    return n >= 5;
  };
  const unsigned char alphabet[] = {0xE0, 0xE1, 0xE2, 0xE3, 0xE9, 0xEF, 0xF0, 0xDF,
                                    0x80, 0xBF, 'a',  ' ',  0x00, 0xFF, 0x62, 0xE2};
  uint64_t state = 42;
  int likely = 0;
  for (int round = 0; round < 200000; ++round) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    const size_t size = (state >> 33) % 81;
    std::string w;
    for (size_t i = 0; i < size; ++i) {
      state = state * 6364136223846793005ull + 1442695040888963407ull;
      w.push_back(static_cast<char>(alphabet[(state >> 40) % sizeof(alphabet)]));
    }
    ASSERT_EQ(LikelyUnrepeated(w), by_bytes(w)) << round;
    likely += by_bytes(w);
  }
  EXPECT_GT(likely, 1000);  // Both answers were checked.
  EXPECT_LT(likely, 199000);
}

TEST(WordCacheTest, FindsWhatWasInsertedThroughGrowth) {
  WordCache cache(1, 16);
  std::vector<std::string> words;
  for (int i = 0; i < 20000; ++i) words.push_back("w" + std::to_string(i * 7919));
  for (size_t i = 0; i < words.size(); ++i) {
    ASSERT_NE(Put(&cache, words[i], static_cast<uint32_t>(i)), nullptr) << i;
  }
  EXPECT_EQ(cache.size(), words.size());
  for (size_t i = 0; i < words.size(); ++i) {
    const WordCache::Entry* e = cache.Find(words[i], HashWord(words[i]));
    ASSERT_NE(e, nullptr) << words[i];
    EXPECT_EQ(e->key(), words[i]);
    EXPECT_EQ(ValueOf(e), i);
  }
  EXPECT_EQ(cache.Find("w1", HashWord("w1")), nullptr);
  EXPECT_EQ(cache.Find("", HashWord("")), nullptr);
}

// Entries beyond the first chunk come from mapped huge-page chunks, and an
// entry larger than a chunk gets one of its own size.
TEST(WordCacheTest, KeepsEntriesWholeAcrossChunks) {
  WordCache cache(1, 18);
  auto value_of = [](size_t i, size_t size) {
    std::string v(size, '\0');
    for (size_t k = 0; k < size; ++k) v[k] = static_cast<char>('a' + (i * 31 + k) % 26);
    return v;
  };
  auto size_of = [](size_t i) { return i == 5000 ? (size_t{3} << 20) : 120 + i % 97; };
  constexpr size_t kWords = 40000;  // ~8 MB of values: several chunks.
  for (size_t i = 0; i < kWords; ++i) {
    const std::string word = "word" + std::to_string(i);
    const std::string v = value_of(i, size_of(i));
    ASSERT_NE(cache.Insert(word, HashWord(word), v.data(), v.size()), nullptr) << i;
  }
  for (size_t i = 0; i < kWords; ++i) {
    const std::string word = "word" + std::to_string(i);
    const WordCache::Entry* e = cache.Find(word, HashWord(word));
    ASSERT_NE(e, nullptr) << word;
    ASSERT_EQ(e->key(), word);
    ASSERT_EQ(e->value_size, size_of(i)) << word;
    ASSERT_EQ(std::string(static_cast<const char*>(e->value()), e->value_size),
              value_of(i, size_of(i)))
        << word;
  }
}

TEST(WordCacheTest, KeepsTheFirstValueAndStopsWhenFull) {
  WordCache cache(1, 13);  // At most 4096 words.
  const WordCache::Entry* first = Put(&cache, "same", 1);
  EXPECT_EQ(Put(&cache, "same", 2), first);
  EXPECT_EQ(ValueOf(cache.Find("same", HashWord("same"))), 1u);
  size_t stored = 1;
  for (int i = 0; i < 10000; ++i) stored += Put(&cache, std::to_string(i), i) != nullptr;
  EXPECT_EQ(stored, 4096u);
  EXPECT_EQ(cache.size(), 4096u);
  EXPECT_NE(cache.Find("same", HashWord("same")), nullptr);
  EXPECT_EQ(Put(&cache, std::string(WordCache::kMaxWordBytes + 1, 'x'), 0), nullptr);
}

TEST(WordCacheTest, ConcurrentReadersAndWritersAgree) {
  WordCache cache(1, 20);
  constexpr int kWords = 30000;
  auto work = [&cache](int offset) {
    for (int i = 0; i < kWords; ++i) {
      const std::string w = std::to_string((i + offset) % kWords);
      const WordCache::Entry* e = cache.Find(w, HashWord(w));
      // An insert that meets another thread's refuses the word (nullptr):
      // try again until it is in, stored by either thread.
      while (e == nullptr) {
        e = Put(&cache, w, static_cast<uint32_t>((i + offset) % kWords));
        if (e == nullptr) e = cache.Find(w, HashWord(w));
      }
      ASSERT_EQ(ValueOf(e), static_cast<uint32_t>((i + offset) % kWords));
    }
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) threads.emplace_back(work, t * 7777);
  for (auto& t : threads) t.join();
  EXPECT_EQ(cache.size(), static_cast<size_t>(kWords));
}

// Threads count words against the half-load limit in batches: together
// they never store more than half the largest table, and a full cache
// falls short of that by at most a batch per thread (counts a thread had
// reserved and not used).
TEST(WordCacheTest, ThreadsTogetherStopAtHalfLoad) {
  WordCache cache(1, 13);  // At most 4096 words.
  constexpr int kThreads = 4;
  std::vector<std::vector<std::string>> stored(kThreads);
  auto work = [&cache, &stored](int t) {
    for (int i = 0; i < 5000; ++i) {
      const std::string w = "t" + std::to_string(t) + "w" + std::to_string(i);
      if (Put(&cache, w, static_cast<uint32_t>(i)) != nullptr) stored[t].push_back(w);
    }
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) threads.emplace_back(work, t);
  for (auto& t : threads) t.join();
  size_t total = 0;
  for (const auto& words : stored) total += words.size();
  EXPECT_TRUE(cache.full());
  EXPECT_LE(total, 4096u);
  EXPECT_GE(total, 4096u - kThreads * WordCache::kCountBatch);
  EXPECT_EQ(cache.size(), total);
  for (const auto& words : stored) {
    for (const std::string& w : words) ASSERT_NE(cache.Find(w, HashWord(w)), nullptr) << w;
  }
}

// Inserts race with growth: an insert that lands in a table being copied
// out must end up in the new table (or find its word there), so that every
// word stored is found afterwards and counted once.
TEST(WordCacheTest, InsertsDuringGrowthAreNeverLost) {
  WordCache cache(1, 20);
  constexpr int kThreads = 4;
  constexpr int kPerThread = 40000;  // From 4,096 slots to 2^18: six growths.
  std::vector<std::vector<const WordCache::Entry*>> got(kThreads);
  auto work = [&cache, &got](int t) {
    for (int i = 0; i < kPerThread; ++i) {
      const std::string w = "t" + std::to_string(t) + "w" + std::to_string(i);
      const WordCache::Entry* e = nullptr;
      // nullptr: another thread was growing the table; try again.
      while (e == nullptr) e = Put(&cache, w, static_cast<uint32_t>(t * kPerThread + i));
      got[t].push_back(e);
    }
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) threads.emplace_back(work, t);
  for (auto& t : threads) t.join();
  EXPECT_EQ(cache.size(), static_cast<size_t>(kThreads * kPerThread));
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kPerThread; ++i) {
      const std::string w = "t" + std::to_string(t) + "w" + std::to_string(i);
      const WordCache::Entry* e = cache.Find(w, HashWord(w));
      ASSERT_EQ(e, got[t][i]) << w;  // The very entry Insert() returned.
      ASSERT_EQ(ValueOf(e), static_cast<uint32_t>(t * kPerThread + i));
    }
  }
}

// Where the process asks for it (the tools), tables of 256 KB up come from
// malloc: every word is still found through growth, by several threads,
// and the tables are given back the way they came (ASan checks the frees).
TEST(WordCacheTest, TablesFromTheHeapKeepEveryWord) {
  SetTablesFromHeap(true);
  {
    WordCache cache(1, 20);
    constexpr int kThreads = 2;
    constexpr int kPerThread = 60000;  // Up to 2^18 slots (2 MB).
    auto work = [&cache](int t) {
      for (int i = 0; i < kPerThread; ++i) {
        const std::string w = "h" + std::to_string(t) + "w" + std::to_string(i);
        const WordCache::Entry* e = nullptr;
        while (e == nullptr) e = Put(&cache, w, static_cast<uint32_t>(t * kPerThread + i));
      }
    };
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) threads.emplace_back(work, t);
    for (auto& t : threads) t.join();
    EXPECT_TRUE(cache.table_from_heap());
    EXPECT_EQ(cache.size(), static_cast<size_t>(kThreads * kPerThread));
    for (int t = 0; t < kThreads; ++t) {
      for (int i = 0; i < kPerThread; ++i) {
        const std::string w = "h" + std::to_string(t) + "w" + std::to_string(i);
        const WordCache::Entry* e = cache.Find(w, HashWord(w));
        ASSERT_NE(e, nullptr) << w;
        ASSERT_EQ(ValueOf(e), static_cast<uint32_t>(t * kPerThread + i));
      }
    }
  }
  SetTablesFromHeap(false);
  WordCache mapped(1, 20);
  for (int i = 0; i < 20000; ++i) Put(&mapped, "m" + std::to_string(i), static_cast<uint32_t>(i));
  EXPECT_FALSE(mapped.table_from_heap());
}

// A thread that stores into many caches in turn (a service with several
// models) keeps its region in each: switching caches does not abandon
// regions, which would fill the arenas with unused space.
TEST(WordCacheTest, ThreadsKeepTheirRegionInEachCache) {
  constexpr int kCaches = 40;
  std::vector<std::unique_ptr<WordCache>> caches;
  for (int c = 0; c < kCaches; ++c) caches.push_back(std::make_unique<WordCache>(c + 1, 16));
  for (int i = 0; i < 200; ++i) {
    for (auto& cache : caches) ASSERT_NE(Put(cache.get(), "w" + std::to_string(i), i), nullptr);
  }
  // 200 entries of 24 bytes fit one 64 KB region (plus the arena's first
  // 64 bytes).
  for (auto& cache : caches) EXPECT_LE(cache->arena_bytes_used(), (64u << 10) + 64u);
}

// The arena's first 2 MB are in 4 KB pages (one fault each); a cache that
// has used 256 KB of them goes on from 2 MB, where pages are huge, and
// keeps every entry it stored before.
TEST(WordCacheTest, ALargeCacheLeavesTheSmallPagesAfterTheirFirst256Kb) {
  WordCache cache(1);
  std::vector<std::string> words;
  size_t last = cache.arena_bytes_used();
  for (uint32_t i = 0; cache.arena_bytes_used() < (4u << 20); ++i) {
    words.push_back("word" + std::to_string(i));
    ASSERT_NE(Put(&cache, words.back(), i), nullptr) << i;
    const size_t used = cache.arena_bytes_used();
    // No region starts between 256 KB and 2 MB.
    if (used != last) {
      EXPECT_TRUE(used <= (256u << 10) || used - (64u << 10) >= (2u << 20)) << used;
    }
    last = used;
  }
  for (uint32_t i = 0; i < words.size(); ++i) {
    const WordCache::Entry* e = cache.Find(words[i], HashWord(words[i]));
    ASSERT_NE(e, nullptr) << i;
    EXPECT_EQ(ValueOf(e), i);
  }
}

// Sanitizers reserve terabytes of shadow address space: no address-space
// limit can be set under them.
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
// WorksUnderATightAddressSpaceLimit's child: exits 0 if all holds, else
// with the failed check's code.
[[noreturn]] void FillUnderATightLimit() {
  // Every 50th word taken is checked at the end (room made before the
  // limit: the limit is for the cache).
  std::vector<std::string> taken;
  taken.reserve(20000);
  size_t pages = 0;
  std::ifstream("/proc/self/statm") >> pages;
  const rlim_t limit = pages * static_cast<rlim_t>(sysconf(_SC_PAGESIZE)) + (24 << 20);
  const rlimit r{limit, limit};
  if (setrlimit(RLIMIT_AS, &r) != 0) std::_Exit(10);
  WordCache cache(1);
  for (uint32_t i = 0; i < 1000000; ++i) {
    const std::string w = "word" + std::to_string(i);
    const WordCache::Entry* e = Put(&cache, w, i);
    if (e != nullptr) {
      if (ValueOf(e) != i) std::_Exit(11);
      if (i % 50 == 0 && taken.size() < taken.capacity()) taken.push_back(w);
    }
  }
  if (cache.size() < 10000 || cache.size() >= 1000000) std::_Exit(12);  // Limited, not empty.
  if (cache.arena_bytes_used() > (16u << 20)) std::_Exit(13);            // A smaller arena.
  for (const std::string& w : taken) {
    const WordCache::Entry* e = cache.Find(w, HashWord(w));
    if (e == nullptr || ValueOf(e) != std::stoul(w.substr(4))) std::_Exit(14);
  }
  std::_Exit(0);
}

// Under a tight address-space limit (ulimit -v) a cache reserves a smaller
// arena, stops taking words when it is used up or a larger table cannot
// be mapped, and keeps answering: no exception, no crash, every word it
// took found again. (In a child process: the limit stays there.)
TEST(WordCacheTest, WorksUnderATightAddressSpaceLimit) {
  EXPECT_EXIT(FillUnderATightLimit(), ::testing::ExitedWithCode(0), "");
}
#endif

TEST(WordCacheHolderTest, RenewsForANewUid) {
  WordCacheHolder holder;
  WordCache* a = holder.Get(5);
  Put(a, "x", 1);
  EXPECT_EQ(holder.Get(5), a);
  WordCache* b = holder.Get(6);
  EXPECT_NE(b, a);
  EXPECT_EQ(b->Find("x", HashWord("x")), nullptr);
  EXPECT_NE(a->Find("x", HashWord("x")), nullptr);  // Old caches stay valid.
}

TEST(PairCacheTest, RemembersAnswersAndMissesTheRest) {
  PairCache m(/*log2_slots=*/16);
  int merged = 7;
  EXPECT_FALSE(m.Find(0, 0, &merged));
  EXPECT_EQ(merged, 7);
  // Pairs sharing a right or left id must not be confused; "not a piece"
  // (-1) is an answer too.
  for (int l = 0; l < 100; ++l) {
    for (int r = 0; r < 100; ++r) m.Store(l, r, r % 7 == 0 ? l * 1000 + r : -1);
  }
  int found = 0;
  for (int l = 0; l < 100; ++l) {
    for (int r = 0; r < 100; ++r) {
      if (!m.Find(l, r, &merged)) continue;  // Lossy: may have been evicted.
      ++found;
      EXPECT_EQ(merged, r % 7 == 0 ? l * 1000 + r : -1) << l << " " << r;
    }
  }
  // 10,000 pairs in 65,536 slots (two per pair): nearly all stay.
  EXPECT_GT(found, 9900);
  EXPECT_FALSE(m.Find(100, 0, &merged));
  // The largest ids round-trip.
  const int big = PairCache::kMaxId - 1;
  m.Store(big, big, big);
  ASSERT_TRUE(m.Find(big, big, &merged));
  EXPECT_EQ(merged, big);
  m.Store(big, 0, -1);
  ASSERT_TRUE(m.Find(big, 0, &merged));
  EXPECT_EQ(merged, -1);
  EXPECT_TRUE(PairCache::Fits(PairCache::kMaxId));
  EXPECT_FALSE(PairCache::Fits(PairCache::kMaxId + 1));
}

TEST(MergeStartFilterTest, MarksFirstCharactersOfLongerPiecesOnly) {
  const std::vector<std::string_view> pieces = {"a", "ab", "b", "\xE4\xB8\x80" /* 一 */,
                                                "\xE4\xBA\x8C\xE4\xB8\x80" /* 二一 */,
                                                "\xF0\x9F\x98\x80" /* U+1F600 */};
  MergeStartFilter f;
  for (std::string_view p : pieces) f.Add(p);
  EXPECT_TRUE(f.MayBeginLonger("ab"));
  EXPECT_TRUE(f.MayBeginLonger("a"));
  EXPECT_FALSE(f.MayBeginLonger("ba"));  // "b" is a piece, but no longer one starts with it.
  EXPECT_FALSE(f.MayBeginLonger("c"));
  EXPECT_FALSE(f.MayBeginLonger("\xE4\xB8\x80\xE4\xB8\x80"));
  EXPECT_TRUE(f.MayBeginLonger("\xE4\xBA\x8C\xE4\xB8\x80"));
  // Characters outside ASCII and the three-byte range, and malformed
  // sequences, are always "maybe".
  EXPECT_TRUE(f.MayBeginLonger("\xF0\x9F\x98\x81"));
  EXPECT_TRUE(f.MayBeginLonger("\xE4\x41\x42"));
  EXPECT_TRUE(f.MayBeginLonger("\xE4"));
}

TEST(PairCacheTest, OverwritingKeepsEntriesWhole) {
  // A tiny table: every store evicts; a lookup sees a whole entry or none.
  PairCache m(/*log2_slots=*/1);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&m, t] {
      for (int i = 0; i < 20000; ++i) {
        const int l = (i * 7 + t) % 50, r = (i * 13) % 50;
        m.Store(l, r, l * 100 + r);
        int merged;
        if (m.Find(r, l, &merged)) {
          ASSERT_EQ(merged, r * 100 + l);
        }
      }
    });
  }
  for (auto& th : threads) th.join();
}

TEST(PieceTableTest, FindsEveryPieceAndRejectsDuplicates) {
  std::vector<std::string> storage;
  for (int i = 0; i < 5000; ++i) storage.push_back("p" + std::to_string(i * 7919));
  storage.push_back("");
  storage.push_back("a");
  storage.push_back("\xE2\x96\x81the");
  std::vector<std::string_view> pieces;
  PieceTable t;
  for (size_t i = 0; i < storage.size(); ++i) {
    pieces.push_back(storage[i]);
    // No Reserve(): the table grows (and rehashes) as it fills.
    ASSERT_TRUE(t.Insert(pieces[i], static_cast<int>(i), pieces));
  }
  EXPECT_EQ(t.size(), storage.size());
  for (size_t i = 0; i < storage.size(); ++i) EXPECT_EQ(t.Find(storage[i], pieces), static_cast<int>(i));
  EXPECT_EQ(t.Find("p1", pieces), -1);
  EXPECT_EQ(t.Find("\xE2\x96\x81th", pieces), -1);
  pieces.push_back("a");
  EXPECT_FALSE(t.Insert(pieces.back(), static_cast<int>(pieces.size() - 1), pieces));
  EXPECT_EQ(t.Find("a", pieces), static_cast<int>(storage.size() - 2));
  PieceTable empty;
  EXPECT_EQ(empty.Find("a", pieces), -1);
  PieceTable reserved;
  reserved.Reserve(pieces.size(), pieces);
  ASSERT_TRUE(reserved.Insert(pieces[3], 3, pieces));
  EXPECT_EQ(reserved.Find(storage[3], pieces), 3);
}

// A Filler (a load's inserts into a reserved table) stores what Insert()
// would, sees duplicates, and leaves the table's size right once it goes;
// then Insert() and Find() go on as with any table.
TEST(PieceTableTest, FillerInsertsLikeInsert) {
  std::vector<std::string> storage;
  for (int i = 0; i < 4000; ++i) storage.push_back("q" + std::to_string(i * 104729));
  storage.push_back("b");
  storage.push_back("b");  // A duplicate of the one before.
  storage.push_back("late");
  const std::vector<std::string_view> pieces(storage.begin(), storage.end());
  const int n = static_cast<int>(pieces.size());
  PieceTable t;
  t.Reserve(pieces.size(), pieces);
  {
    PieceTable::Filler fill(&t, pieces);
    for (int i = 0; i < n - 1; ++i) {
      fill.Prefetch(HashWord(pieces[i]));
      EXPECT_EQ(fill.Insert(pieces[i], HashWord(pieces[i]), i), i != n - 2) << i;
      if (i == n - 3) {
        EXPECT_EQ(t.size(), 0u);  // Brought up to date at the end.
      }
    }
  }
  EXPECT_EQ(t.size(), pieces.size() - 2);
  for (int i = 0; i < n - 2; ++i) EXPECT_EQ(t.Find(storage[i], pieces), i);
  EXPECT_EQ(t.Find("late", pieces), -1);
  EXPECT_EQ(t.Find("q1", pieces), -1);
  ASSERT_TRUE(t.Insert(pieces[n - 1], n - 1, pieces));
  EXPECT_EQ(t.Find("late", pieces), n - 1);
  EXPECT_EQ(t.size(), pieces.size() - 1);
}

// Slots hold the id in as few bits as the ids need, the hash in the rest:
// ids past what the table was sized for, up to 2^31 - 1, widen the id bits.
TEST(PieceTableTest, IdsBeyondTheReservationWidenTheSlots) {
  std::vector<std::string> storage;
  for (int i = 0; i < 3000; ++i) storage.push_back("w" + std::to_string(i));
  std::vector<std::string_view> pieces(storage.begin(), storage.end());
  PieceTable t;
  t.Reserve(10, pieces);
  for (int i = 0; i < 3000; ++i) ASSERT_TRUE(t.Insert(pieces[i], i, pieces));
  for (int i = 0; i < 3000; ++i) ASSERT_EQ(t.Find(storage[i], pieces), i);
  // Ids that need 20 bits in a table first sized for one.
  std::vector<std::string_view> big(1 << 20);
  big[5] = "five";
  big[(1 << 20) - 1] = "last";
  PieceTable wide;
  ASSERT_TRUE(wide.Insert(big[5], 5, big));
  ASSERT_TRUE(wide.Insert(big[(1 << 20) - 1], (1 << 20) - 1, big));
  EXPECT_EQ(wide.Find("five", big), 5);
  EXPECT_EQ(wide.Find("last", big), (1 << 20) - 1);
  EXPECT_EQ(wide.Find("six", big), -1);
}

}  // namespace
}  // namespace sentencepiece
