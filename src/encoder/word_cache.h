// A cache of word segmentations shared by all encoding threads.
//
// Most words repeat, so the encoders segment a word once and then look it
// up: under the raw bytes of a word (encoder/fast_ids.h) or under its
// normalized text (the models). Keys are byte strings of up to
// kMaxWordBytes; values are opaque bytes written once by the inserting
// encoder.
//
// Concurrency: lookups take no lock and write nothing shared, so threads do
// not bounce cache lines. Inserts take no lock either: an entry is written
// into memory its thread alone allocates from, then published with one
// compare-and-swap of its slot; an entry is never changed or freed while
// the cache lives. Only growing the table takes a mutex (never waited for:
// a thread that finds it taken goes on filling the current table up to
// three quarters, then skips its inserts; only an insert that lands in
// the table while it is being copied out waits, for the copy). Words are counted
// against the load limit (LoadLimit()) from counts each thread reserves a
// batch at a time, so that inserts share no counter either. The table has
// a fixed largest number of slots and stops taking words at half of them
// (the words seen first, which include the frequent ones, stay), or when
// no larger table or no more arena can be had (memory limits): it then
// keeps answering from what it holds.
//
// Performance notes: open addressing with linear probing over 64-bit
// slots: an entry's offset in the cache's arena and the top 32 bits of its
// hash, which also place it (the slot index is the hash's top bits), so a
// probe rarely touches a wrong entry and growing reads only the old table.
// The hash reads 8 bytes at a time. The table grows with the words (its
// size, not the text, decides how often a lookup misses the CPU caches);
// old tables stay readable, so growing needs no reader lock. Entries live
// in one reserved arena (1 GB of address space, less under ulimit -v;
// pages are mapped as written: 4 KB ones for the first 256 KB, huge ones
// from 2 MB on; see word_cache.cc), carved into 64 KB regions, each
// filled by one thread in order of first sight: frequent words share cache
// lines, and two threads' new entries never share one. (With a mutex
// around inserts and entries from one shared chunk, two threads spent
// ~15% of their time in inserts, against ~3% for one: the lock's and the
// chunk's cache lines went back and forth between the cores.)

#ifndef SPM_SRC_ENCODER_WORD_CACHE_H_
#define SPM_SRC_ENCODER_WORD_CACHE_H_

#include <atomic>
#include <cstdint>
#include <cstring>
#include <memory>
#include <mutex>
#include <string_view>
#include <vector>

#include "common/prefetch.h"
#include "encoder/model_tables.h"

namespace sentencepiece {

// A fresh id for a model (or a changed vocabulary).
inline uint64_t NewModelUid() {
  static std::atomic<uint64_t> next{1};
  return next.fetch_add(1);
}

// The multiplier of HashWord() and HashShortWord().
inline constexpr uint64_t kWordHashMul = 0x9E3779B97F4A7C15ull;

// A fast, decent 64-bit hash of a short byte string. (Always inlined: the
// line scan, whose word loop GCC would otherwise leave calling it, spent
// ~10% more instructions.)
__attribute__((always_inline)) inline uint64_t HashWord(std::string_view s) {
  constexpr uint64_t kMul = kWordHashMul;
  const char* p = s.data();
  size_t n = s.size();
  uint64_t h = n * kMul;
  auto mix = [&h](uint64_t v) {
    h ^= v;
    h *= kMul;
    h ^= h >> 29;
  };
  uint64_t v;
  while (n > 8) {
    std::memcpy(&v, p, 8);
    mix(v);
    p += 8;
    n -= 8;
  }
  if (n >= 4) {
    uint32_t a, b;
    std::memcpy(&a, p, 4);
    std::memcpy(&b, p + n - 4, 4);
    v = (uint64_t{a} << 32) | b;
  } else if (n > 0) {
    // 1 to 3 bytes: positions 0, n / 2 and n - 1 cover them all (no loop).
    const auto* b = reinterpret_cast<const unsigned char*>(p);
    v = (uint64_t{b[0]} << 16) | (uint64_t{b[n / 2]} << 8) | b[n - 1];
  } else {
    v = 0;
  }
  mix(v);
  h ^= h >> 32;
  h *= kMul;
  return h ^ (h >> 31);
}

// Words of 1 to 8 bytes (most of them) are hashed and compared as one
// 64-bit number, their bytes in memory order, zero above (this code reads
// memory little-endian): no branches on the length, which varies from word
// to word and was mispredicted about once a word by HashWord() and once
// by the key compare.
static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "short words are read little-endian");
constexpr size_t kShortWordBytes = 8;
// The number of word p[0, n), 1 <= n <= 8.
inline uint64_t ShortWordBytes(const char* p, size_t n) {
  uint64_t v = 0;
  std::memcpy(&v, p, n);
  return v;
}
// The same for a word that ends at `end`, with 8 readable bytes before
// `end` (the word and what precedes it): one load.
inline uint64_t ShortWordBytesBefore(const char* end, size_t n) {
  uint64_t v;
  std::memcpy(&v, end - 8, 8);
  return v >> (64 - 8 * n);
}
// The hash of a short word from its number (a different function from
// HashWord(): a cache must be looked up the way it was filled).
inline uint64_t HashShortWord(uint64_t bytes, size_t n) {
  constexpr uint64_t kMul = kWordHashMul;
  uint64_t h = (bytes ^ (n << 58)) * kMul;
  h ^= h >> 32;
  h *= kMul;
  return h ^ (h >> 29);
}

// Whether `word` looks like a run of an unspaced script (Chinese, Japanese,
// Thai, ...): at least kMinUnspacedChars three-byte characters outside
// U+2000..U+2FFF (punctuation, symbols and `▁`), counted by their lead
// bytes. Such runs rarely repeat, so caching them costs more (margin
// bookkeeping, inserts, a table that grows) than the hits save; the
// encoders segment them directly, which is exact either way. Only a
// policy: any answer is correct.
// LikelyUnrepeatedLong() is the test for words of 3 * kMinUnspacedChars
// bytes or more, out of line (inlined, it lengthened the scan of every
// line's words: English +0.6% instructions).
constexpr int kMinUnspacedChars = 5;
bool LikelyUnrepeatedLong(std::string_view word);
inline bool LikelyUnrepeated(std::string_view word) {
  return word.size() >= 3 * kMinUnspacedChars && LikelyUnrepeatedLong(word);
}

// Whether x[0, n) == y[0, n) for sizeof(Word) <= n <= 2 * sizeof(Word):
// the first and the last Word of each, which overlap to cover them.
template <typename Word>
bool SameEnds(const unsigned char* x, const unsigned char* y, size_t n) {
  Word x0, y0, x1, y1;
  std::memcpy(&x0, x, sizeof(Word));
  std::memcpy(&y0, y, sizeof(Word));
  std::memcpy(&x1, x + n - sizeof(Word), sizeof(Word));
  std::memcpy(&y1, y + n - sizeof(Word), sizeof(Word));
  return ((x0 ^ y0) | (x1 ^ y1)) == 0;
}

// Whether a[0, n) == b[0, n): memcmp() inlined for the short keys of
// words (reads only inside both ranges).
inline bool SameBytes(const void* a, const void* b, size_t n) {
  const auto* x = static_cast<const unsigned char*>(a);
  const auto* y = static_cast<const unsigned char*>(b);
  if (n > 16) return std::memcmp(x, y, n) == 0;
  if (n >= 8) return SameEnds<uint64_t>(x, y, n);
  if (n >= 4) return SameEnds<uint32_t>(x, y, n);
  // 0 to 3 bytes: positions 0, n / 2 and n - 1 cover them all.
  return n == 0 || (x[0] == y[0] && x[n / 2] == y[n / 2] && x[n - 1] == y[n - 1]);
}

class WordCache {
  struct Table;  // Below.

 public:
  // Words longer than this are not cached.
  static constexpr size_t kMaxWordBytes = 128;
  // Words a thread counts against the load limit at a time (see
  // word_cache.cc): a full cache holds at least half its slots less this
  // many for each thread that inserted, and for each time a thread's
  // state for this cache was taken over by another cache (past 64 live
  // caches).
  static constexpr size_t kCountBatch = 16;

  // A stored word and its value (`value_size` bytes, 8-byte aligned).
  struct Entry {
    uint32_t key_size;
    uint32_t value_size;
    std::string_view key() const { return {reinterpret_cast<const char*>(this + 1), key_size}; }
    const void* value() const {
      return reinterpret_cast<const char*>(this + 1) + ((key_size + 7) & ~size_t{7});
    }
  };

  // `uid`: the model the entries belong to. The table starts small, or
  // as Reserve(expected_words) would make it, and doubles up to
  // 2^max_log2_slots slots (see LoadLimit()).
  static constexpr int kDefaultMaxLog2Slots = 20;
  explicit WordCache(uint64_t uid = 0, int max_log2_slots = kDefaultMaxLog2Slots,
                     size_t expected_words = 0);
  ~WordCache();
  WordCache(const WordCache&) = delete;
  WordCache& operator=(const WordCache&) = delete;

  // The entry of `word` (hash = HashWord(word)), or nullptr.
  const Entry* Find(std::string_view word, uint64_t hash) const {
    return FindWhere(hash, [word](const Entry* e) { return KeyIs(e, word); });
  }

  // Find() for a word of n <= kShortWordBytes bytes given as
  // ShortWordBytes(), hashed by HashShortWord().
  const Entry* FindShort(uint64_t bytes, size_t n, uint64_t hash) const {
    const uint64_t mask = ~uint64_t{0} >> (64 - 8 * n);
    return FindWhere(hash, [bytes, n, mask](const Entry* e) {
      // An entry's key takes a multiple of 8 bytes, and no key is empty
      // (no caller stores an empty word): 8 bytes are readable here.
      uint64_t key;
      std::memcpy(&key, e + 1, 8);
      return ((key ^ bytes) & mask) == 0 && e->key_size == n;
    });
  }

  // Hints for a lookup of `hash` soon: PrefetchSlot() asks for its first
  // slot, PrefetchEntry() (best called a little later) for the entry that
  // slot points to. Lookups of a line's words issued
  // this way overlap their memory latencies instead of paying them in turn.
  void PrefetchSlot(uint64_t hash) const { hints().Slot(hash); }
  void PrefetchEntry(uint64_t hash) const { hints().Entry(hash); }

  // The same hints through a table read once, for a run of them (an old
  // table stays readable: through it a hint only helps less).
  class Hints {
   public:
    void Slot(uint64_t hash) const { __builtin_prefetch(&t_->slots[hash >> t_->shift]); }
    // Slot() for writing: for a word about to be inserted, so that the
    // insert's compare-and-swap finds the slot's line already this core's
    // own (with several threads, that line was often last written by
    // another core: each such insert waited for it to come over, three to
    // four times a one-thread run's time in Publish()). A true write
    // prefetch (common/prefetch.h): a read prefetch left the line shared
    // with the core that last read it, and two threads' inserts spent
    // twice as long in Publish() as with PREFETCHW.
    void SlotForWrite(uint64_t hash) const { PrefetchForWrite(&t_->slots[hash >> t_->shift]); }
    void Entry(uint64_t hash) const {
      // Whatever the slot holds, without testing its tag: a branch on the
      // tag was mispredicted for ~30% of hits (cachegrind), while an
      // empty slot (offset 0) or another word's entry only costs a wasted
      // prefetch (which never faults).
      const uint64_t slot = t_->slots[hash >> t_->shift].load(std::memory_order_relaxed);
      const char* e = arena_ + (slot & kOffsetMask) * 8;
      __builtin_prefetch(e);
      __builtin_prefetch(e + 64);
    }

   private:
    friend class WordCache;
    Hints(const Table* t, const char* arena) : t_(t), arena_(arena) {}
    const Table* t_;
    const char* arena_;
  };
  Hints hints() const { return Hints(table_.load(std::memory_order_acquire), arena_); }

  // Stores `word` with a copy of `value`; returns the entry (an existing one
  // if another thread stored the word first), or nullptr when the cache is
  // full, the word too long, or another thread is growing the table at
  // that moment (the caller then uses its own copy). REQUIRES: hash ==
  // HashWord(word), or for a cache looked up with FindShort(),
  // HashShortWord() of a short word.
  const Entry* Insert(std::string_view word, uint64_t hash, const void* value,
                      size_t value_size);

  // Grows the table now, in one step, to hold `words` words (up to its
  // largest size), rather than by doublings as they come: each doubling
  // makes a table and copies the slots, and a run of 20 MB went through
  // seven of them. A table larger than its words need also keeps probe
  // sequences short. (Tools, 20 MB, one thread: English -2% to -5%,
  // Japanese -3%.) Only a hint: a full cache stays as it is.
  void Reserve(size_t words);
  // The words an input of `bytes` bytes is expected to bring to a cache
  // at most (Reserve()): one per 64 bytes, about what English and mixed
  // text bring to the raw-word cache (20 MB of English: 240k new words,
  // 2^19 slots); text with fewer words leaves a larger table than needed.
  static size_t ExpectedWords(size_t bytes) { return bytes / 64; }

  // The number of words stored: exact once no insert is in flight. Reads
  // the whole table (for tests and statistics, not for a hot path).
  size_t size() const;
  // The current table's slots (for tests and statistics).
  size_t num_slots() const { return table_.load(std::memory_order_acquire)->mask + 1; }
  // Whether the current table's slots came from the heap (see
  // TablesFromHeap() in common/zero_pages.h; for tests).
  bool table_from_heap() const { return table_.load(std::memory_order_acquire)->from_heap; }
  // No more words are taken (the table or the arena reached its limit).
  bool full() const { return full_.load(std::memory_order_relaxed); }
  uint64_t uid() const { return uid_; }
  // Bytes of the arena handed out to threads so far (entries and the unused
  // rest of each thread's region).
  size_t arena_bytes_used() const { return arena_used_.load(std::memory_order_relaxed); }

 private:
  // A slot: the entry's offset in the arena in 8-byte units (0: empty; the
  // arena's first 8 bytes are never used), and Tag(hash) above bit 32.
  static constexpr uint64_t kOffsetMask = 0xFFFFFFFFu;
  static uint32_t Tag(uint64_t hash) { return static_cast<uint32_t>(hash >> 32); }
  struct Table {
    size_t mask;
    int shift;  // 64 - log2(slots): a hash's first slot is hash >> shift.
    std::atomic<uint64_t>* slots;
    bool from_heap = false;  // slots from AllocateZeroedFromHeap() (TablesFromHeap()).
    // Set before growing copies the slots out: an insert into this table
    // that then finds it set may have been missed, and goes again.
    std::atomic<bool> frozen{false};
  };
  const Entry* EntryAt(uint64_t slot) const {
    return reinterpret_cast<const Entry*>(arena_ + (slot & kOffsetMask) * 8);
  }
  // The entry of the probe sequence of `hash` whose tag matches and for
  // which is_key(entry) holds, or nullptr at the first empty slot.
  template <typename IsKey>
  const Entry* FindWhere(uint64_t hash, IsKey is_key) const {
    const Table* t = table_.load(std::memory_order_acquire);
    const uint32_t tag = Tag(hash);
    for (size_t i = hash >> t->shift;; i = (i + 1) & t->mask) {
      const uint64_t slot = t->slots[i].load(std::memory_order_acquire);
      if (slot == 0) return nullptr;
      if (static_cast<uint32_t>(slot >> 32) == tag && is_key(EntryAt(slot))) return EntryAt(slot);
    }
  }
  // Whether non-empty `slot` holds `word`, whose hash has Tag() `tag`.
  bool Holds(uint64_t slot, uint32_t tag, std::string_view word) const {
    return static_cast<uint32_t>(slot >> 32) == tag && KeyIs(EntryAt(slot), word);
  }
  static bool KeyIs(const Entry* e, std::string_view word) {
    return e->key_size == word.size() && SameBytes(e + 1, word.data(), word.size());
  }
  // The calling thread's state in this cache (word_cache.cc).
  struct ThreadState;
  ThreadState* ThisThread() const;
  // Counts kCountBatch more words against the load limit for the
  // calling thread, growing the table if they take it past it; false
  // (nothing counted) when the cache is full or another thread is growing
  // it.
  bool ReserveCounts(ThreadState* ts);
  // The words a table of `slots` slots takes before it doubles: five
  // eighths of them, or half in the largest table, where the cache stops.
  // (Growing at half kept the old tables and the new one at two to four
  // times the slots the words need: 20 MB of mixed text, 315k words, went
  // from 2^19 slots to 2^20 for its last 53k words, 8 MB of fresh memory
  // of a 56 MB run. Probes at five eighths are a little longer: +0.3%
  // instructions where the table is the same size.)
  size_t LoadLimit(size_t slots) const { return slots >= max_slots_ ? slots / 2 : slots / 8 * 5; }
  // The slots of a table grown from `slots` by doublings until it takes
  // `words` words, or until it is the largest.
  size_t SlotsFor(size_t words, size_t slots) const {
    while (slots < max_slots_ && LoadLimit(slots) < words) slots *= 2;
    return slots;
  }
  // For `words` words expected, whose entries would outgrow the arena's
  // small pages (kSmallPagesUsed in word_cache.cc): regions are handed out
  // from the arena's huge pages on, as they would be once those are used
  // up, without the small pages' faults first (64 of them, ~10-20 us each
  // on a VM).
  void SkipSmallPagesFor(size_t words);
  // `bytes` of entry memory for the calling thread; nullptr when the
  // arena is used up.
  char* Allocate(ThreadState* ts, size_t bytes);
  // Publishes entry `slot` for `word` in table `t` (or a newer table if `t`
  // grows meanwhile): the entry that holds `word` in the end, ours or one
  // another thread stored first; nullptr if `t` was frozen and its
  // successor could not be waited for.
  const Entry* Publish(const Table* t, std::string_view word, uint64_t hash, uint64_t slot);
  // Replaces the table with one of `num_slots` slots (a power of two larger
  // than the current table's). REQUIRES: mu_ held.
  void GrowTo(size_t num_slots);
  // A table of `num_slots` empty slots; nullptr when it cannot be mapped.
  // REQUIRES: mu_ held, or the constructor running.
  Table* NewTable(size_t num_slots);
  // Unmaps table `t`'s slots (not those in tables_page_).
  void FreeSlots(const Table* t);

  // What every lookup reads, alone on its cache line: inserts write the
  // members below, and if they shared this line, each insert by one thread
  // would cost every other thread a cache miss on its next lookup (two
  // threads spent ~40% more CPU than one on 20 MB of English).
  alignas(64) uint64_t uid_;
  size_t max_slots_;
  std::atomic<Table*> table_;
  std::atomic<bool> full_{false};  // No more words are taken.
  char* arena_ = nullptr;          // Reserved address space for entries,
  size_t arena_bytes_ = 0;         // this long.
  uint64_t id_;                    // This cache, to the threads' regions.
  // Words counted against the load limit: the words stored, plus
  // what threads have reserved and not used yet (kCountBatch at a time,
  // see Insert()). An upper bound on the words stored.
  alignas(64) std::atomic<size_t> counted_{0};
  std::atomic<size_t> arena_used_{0};  // Bytes of the arena handed out as regions.
  std::mutex mu_;                      // Held to grow the table.
  // Every table ever used (readers may still be on an old one). Written
  // under mu_.
  std::vector<Table*> tables_;
  // One huge page holding the tables of 256 KB to 1 MB (see NewTable()),
  // and how much of it they take. Written under mu_.
  char* tables_page_ = nullptr;
  size_t tables_page_used_ = 0;
};

// The cache of one encoder, renewed when its model's uid changes (a new
// vocabulary restriction; see model_tables.h), and sized for the input
// announced (ExpectInput()).
class WordCacheHolder {
 public:
  WordCache* Get(uint64_t uid) const {
    return caches_.Get(uid, [this](uint64_t id) {
      return std::make_unique<WordCache>(id, WordCache::kDefaultMaxLog2Slots,
                                         expected_words_.load(std::memory_order_relaxed));
    });
  }
  // Input of `bytes` bytes is coming: the current cache, and any made
  // later, hold its expected words (WordCache::ExpectedWords()) from the
  // start. A cache is made only on first use.
  void ExpectInput(size_t bytes) const {
    const size_t words = WordCache::ExpectedWords(bytes);
    size_t expected = expected_words_.load(std::memory_order_relaxed);
    while (words > expected && !expected_words_.compare_exchange_weak(
                                   expected, words, std::memory_order_relaxed)) {
    }
    if (WordCache* cache = caches_.current()) cache->Reserve(words);
  }

 private:
  ModelTables<WordCache> caches_;
  mutable std::atomic<size_t> expected_words_{0};
};

}  // namespace sentencepiece

#endif  // SPM_SRC_ENCODER_WORD_CACHE_H_
