// A cache of word segmentations shared by all encoding threads.
//
// Most words repeat, so the encoders segment a word once and then look it
// up: under the raw bytes of a word (encoder/fast_ids.h) or under its
// normalized text (the models). Keys are byte strings of up to
// kMaxWordBytes; values are opaque bytes written once by the inserting
// encoder.
//
// Concurrency: lookups take no lock and write nothing shared, so threads do
// not bounce cache lines. Inserts are serialized by a mutex, never waited
// for (a thread that finds it taken skips the insert), and publish a
// finished, immutable entry with one atomic store; an entry is never
// changed or freed while the cache lives. The table has a fixed number of
// slots and stops taking words at half load (the words seen first, which
// include the frequent ones, stay).
//
// Performance notes: open addressing with linear probing over 64-bit slots
// (entry pointer plus 16 bits of the hash, so a probe rarely touches a
// wrong entry); the hash reads 8 bytes at a time. The table grows with the
// words (its size, not the text, decides how often a lookup misses the CPU
// caches); old tables stay readable, so growing needs no reader lock.
// Entries are bump-allocated in chunks (a first one of 1 MB from the heap,
// then 2 MB huge pages), in order of first sight, so frequent words share
// cache lines.

#ifndef SPM_SRC_ENCODER_WORD_CACHE_H_
#define SPM_SRC_ENCODER_WORD_CACHE_H_

#include <atomic>
#include <cstdint>
#include <cstring>
#include <memory>
#include <mutex>
#include <string_view>
#include <vector>

#include "encoder/model_tables.h"

namespace sentencepiece {

// A fresh id for a model (or a changed vocabulary).
inline uint64_t NewModelUid() {
  static std::atomic<uint64_t> next{1};
  return next.fetch_add(1);
}

// A fast, decent 64-bit hash of a short byte string.
inline uint64_t HashWord(std::string_view s) {
  constexpr uint64_t kMul = 0x9E3779B97F4A7C15ull;
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

// Whether `word` looks like a run of an unspaced script (Chinese, Japanese,
// Thai, ...): at least kMinUnspacedChars three-byte characters outside
// U+2000..U+2FFF (punctuation, symbols and `▁`). Such runs rarely repeat,
// so caching them costs more (margin bookkeeping, inserts, a table that
// grows) than the hits save; the encoders segment them directly, which is
// exact either way. Only a policy: any answer is correct.
inline bool LikelyUnrepeated(std::string_view word) {
  constexpr int kMinUnspacedChars = 5;
  if (word.size() < 3 * kMinUnspacedChars) return false;
  // Most words have no byte >= 0xE0 at all: test 8 bytes at a time first.
  uint64_t any = 0;
  size_t i = 0;
  for (; i + 8 <= word.size(); i += 8) {
    uint64_t x;
    std::memcpy(&x, word.data() + i, 8);
    any |= x & (x << 1) & (x << 2);
  }
  for (; i < word.size(); ++i) {
    const auto b = static_cast<unsigned char>(word[i]);
    any |= b & (b << 1) & (b << 2);
  }
  if ((any & 0x8080808080808080ull) == 0) return false;
  int n = 0;
  for (char c : word) {
    const auto b = static_cast<unsigned char>(c);
    n += (b & 0xF0) == 0xE0 && b != 0xE2;
    if (n >= kMinUnspacedChars) return true;
  }
  return false;
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

  // A stored word and its value (`value_size` bytes, 8-byte aligned).
  struct Entry {
    uint32_t key_size;
    uint32_t value_size;
    std::string_view key() const { return {reinterpret_cast<const char*>(this + 1), key_size}; }
    const void* value() const {
      return reinterpret_cast<const char*>(this + 1) + ((key_size + 7) & ~size_t{7});
    }
  };

  // `uid`: the model the entries belong to. The table starts small and
  // doubles up to 2^max_log2_slots slots; at most half of them are filled.
  explicit WordCache(uint64_t uid = 0, int max_log2_slots = 20);
  ~WordCache();
  WordCache(const WordCache&) = delete;
  WordCache& operator=(const WordCache&) = delete;

  // The entry of `word` (hash = HashWord(word)), or nullptr.
  const Entry* Find(std::string_view word, uint64_t hash) const {
    const Table* t = table_.load(std::memory_order_acquire);
    const uint16_t tag = static_cast<uint16_t>(hash >> 48);
    for (size_t i = hash & t->mask;; i = (i + 1) & t->mask) {
      const uint64_t slot = t->slots[i].load(std::memory_order_acquire);
      if (slot == 0) return nullptr;
      if ((slot >> 48) != tag) continue;
      const Entry* e = reinterpret_cast<const Entry*>(slot & kPointerMask);
      if (e->key_size == word.size() && SameBytes(e + 1, word.data(), word.size())) return e;
    }
  }

  // Hints for a lookup of `hash` soon: PrefetchSlot() asks for its first
  // slot, PrefetchEntry() (best called a little later) for the entry that
  // slot points to when the tag matches. Lookups of a line's words issued
  // this way overlap their memory latencies instead of paying them in turn.
  void PrefetchSlot(uint64_t hash) const { hints().Slot(hash); }
  void PrefetchEntry(uint64_t hash) const { hints().Entry(hash); }

  // The same hints through a table read once, for a run of them (an old
  // table stays readable: through it a hint only helps less).
  class Hints {
   public:
    void Slot(uint64_t hash) const { __builtin_prefetch(&t_->slots[hash & t_->mask]); }
    void Entry(uint64_t hash) const {
      const uint64_t slot = t_->slots[hash & t_->mask].load(std::memory_order_relaxed);
      if (slot != 0 && (slot >> 48) == (hash >> 48)) {
        const char* e = reinterpret_cast<const char*>(slot & kPointerMask);
        __builtin_prefetch(e);
        __builtin_prefetch(e + 64);
      }
    }

   private:
    friend class WordCache;
    explicit Hints(const Table* t) : t_(t) {}
    const Table* t_;
  };
  Hints hints() const { return Hints(table_.load(std::memory_order_acquire)); }

  // Stores `word` with a copy of `value`; returns the entry (an existing one
  // if another thread stored the word first), or nullptr when the cache is
  // full, the word too long, or another thread is storing at the same
  // moment (the caller then uses its own copy). REQUIRES: hash ==
  // HashWord(word).
  const Entry* Insert(std::string_view word, uint64_t hash, const void* value,
                      size_t value_size);

  size_t size() const { return size_.load(std::memory_order_relaxed); }
  uint64_t uid() const { return uid_; }

 private:
  static constexpr uint64_t kPointerMask = (uint64_t{1} << 48) - 1;
  // Slots: an entry's address, and the top 16 bits of its hash above bit 48.
  struct Table {
    size_t mask;
    std::atomic<uint64_t>* slots;
  };
  // `bytes` of entry memory; nullptr if none can be mapped. REQUIRES: mu_
  // held.
  char* Allocate(size_t bytes);
  // Doubles the table. REQUIRES: mu_ held.
  void Grow();
  static Table* NewTable(size_t num_slots);
  // Index of the slot holding `word` or of the free slot where it belongs.
  static size_t Probe(const Table& t, std::string_view word, uint64_t hash);

  // What every lookup reads, alone on its cache line: inserts write the
  // members below, and if they shared this line, each insert by one thread
  // would cost every other thread a cache miss on its next lookup (two
  // threads spent ~40% more CPU than one on 20 MB of English).
  alignas(64) uint64_t uid_;
  size_t max_slots_;
  std::atomic<Table*> table_;
  alignas(64) std::atomic<size_t> size_{0};
  std::mutex mu_;
  // Every table ever used (readers may still be on an old one).
  std::vector<Table*> tables_;
  // Every stored slot with its full hash, in insertion order: Grow() reads
  // this array front to back instead of re-hashing keys scattered over
  // the heap.
  struct Stored {
    uint64_t slot;
    uint64_t hash;
  };
  std::vector<Stored> stored_;
  // Where entries are carved from (see Allocate()).
  std::unique_ptr<char[]> first_chunk_;
  struct Chunk {
    void* data;
    size_t size;
  };
  std::vector<Chunk> chunks_;
  char* chunk_pos_ = nullptr;
  size_t chunk_left_ = 0;
};

// The cache of one encoder, renewed when its model's uid changes (a new
// vocabulary restriction; see model_tables.h).
using WordCacheHolder = ModelTables<WordCache>;

}  // namespace sentencepiece

#endif  // SPM_SRC_ENCODER_WORD_CACHE_H_
