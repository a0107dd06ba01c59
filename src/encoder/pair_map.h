// A cache of "which piece do these two pieces merge into", for the BPE
// encoder: its inner loop asks, for two adjacent symbols, whether their
// concatenation is a piece.
//
// The answer for (left id, right id) is fixed by the vocabulary, so it can
// be remembered without ever being wrong: the encoder asks the vocabulary
// (a string hash lookup of the concatenation) on a miss and stores the
// answer, "not a piece" included. Nothing is built at load; a first encode
// costs only the lookups it makes.
//
// Thread safety: lookups and stores may run concurrently from any number of
// threads, without locks. Each slot is one 64-bit atomic word holding the
// pair and its answer together, so a reader sees either a whole entry or
// none; a store may overwrite another pair's entry (the cache is lossy, two
// slots per pair), which only costs a later lookup.
//
// Limits: ids must be below kMaxId (2^21 - 1); PairCache::Fits() says
// whether a vocabulary qualifies, otherwise the caller looks up directly.

#ifndef SPM_SRC_ENCODER_PAIR_MAP_H_
#define SPM_SRC_ENCODER_PAIR_MAP_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <new>
#include <string_view>
#include <vector>

#include "common/utf8.h"
#include "common/zero_pages.h"
#include "encoder/word_cache.h"

namespace sentencepiece {

class PairCache {
 public:
  static constexpr int kMaxId = (1 << 21) - 1;
  // Whether every id of a vocabulary of `vocab_size` pieces can be cached.
  static bool Fits(int vocab_size) { return vocab_size <= kMaxId; }

  // 2^log2_slots slots of 8 bytes (default 2 MB) of zero pages, in huge
  // pages from 2 MB up: slots are spread over the table by their hash, so
  // a busy encoder soon touches every page of it (one fault per 2 MB
  // instead of two per 4 KB: a read maps the zero page, the first store
  // copies it, with a TLB flush on every core running the process).
  explicit PairCache(int log2_slots = 18)
      : slots_(size_t{1} << log2_slots, (size_t{8} << log2_slots) % kHugePageBytes == 0),
        shift_(64 - log2_slots) {
    static_assert(sizeof(std::atomic<uint64_t>) == 8 && std::atomic<uint64_t>::is_always_lock_free,
                  "slots are plain zeroed 64-bit words");
  }

  // Whether (left, right) is cached; then *merged is its merged id, or -1
  // for "not a piece". REQUIRES: 0 <= left, right < kMaxId.
  bool Find(int left, int right, int* merged) const {
    const uint64_t key = Key(left, right);
    const size_t i = Index(key);
    for (size_t k = 0; k < 2; ++k) {
      const uint64_t v = slots_.get()[i ^ k].load(std::memory_order_relaxed);
      if ((v & kKeyMask) == key) {
        *merged = static_cast<int>(v & kValueMask) - 1;
        return true;
      }
    }
    return false;
  }

  // Asks for the memory of (left, right)'s slots ahead of a Find().
  void Prefetch(int left, int right) const {
    __builtin_prefetch(&slots_.get()[Index(Key(left, right))]);
  }

  // Remembers that (left, right) merges into `merged` (-1: not a piece).
  // REQUIRES: 0 <= left, right < kMaxId; -1 <= merged < kMaxId.
  void Store(int left, int right, int merged) const {
    const uint64_t key = Key(left, right);
    const size_t i = Index(key);
    std::atomic<uint64_t>* s = slots_.get();
    // The first slot unless it holds another pair and the second is free.
    const size_t j = s[i].load(std::memory_order_relaxed) != 0 &&
                             s[i ^ 1].load(std::memory_order_relaxed) == 0
                         ? i ^ 1
                         : i;
    s[j].store(key | static_cast<uint64_t>(merged + 1), std::memory_order_relaxed);
  }

 private:
  // left + 1 and right + 1 in the top 42 bits (never zero, so a zeroed
  // slot matches no key), merged + 1 in the low 22.
  static constexpr uint64_t kValueMask = (uint64_t{1} << 22) - 1;
  static constexpr uint64_t kKeyMask = ~kValueMask;
  static uint64_t Key(int left, int right) {
    return (static_cast<uint64_t>(left + 1) << 43) | (static_cast<uint64_t>(right + 1) << 22);
  }
  // Even slot of the pair's two; the top bits of the product depend on
  // every key bit.
  size_t Index(uint64_t key) const {
    return static_cast<size_t>((key * 0x9E3779B97F4A7C15ull) >> shift_) & ~size_t{1};
  }

  ZeroPageArray<std::atomic<uint64_t>> slots_;
  int shift_;
};

// Which strings may be pieces: one bit per hash (HashWord's top bits) of
// each piece, so a lookup of a string that is no piece (most pairs of CJK
// characters under llama2, say) is mostly answered from 128 KB that stay in
// the CPU's caches instead of the pair cache's 2 MB and the piece table.
class PieceFilter {
 public:
  PieceFilter() : bits_(size_t{1} << (kLog2Bits - 6), 0) {}
  void Add(std::string_view piece) {
    const uint64_t b = Bit(piece);
    bits_[b >> 6] |= uint64_t{1} << (b & 63);
  }
  // False: `s` is certainly no piece.
  bool MayContain(std::string_view s) const {
    const uint64_t b = Bit(s);
    return ((bits_[b >> 6] >> (b & 63)) & 1) != 0;
  }

 private:
  static constexpr int kLog2Bits = 20;
  static uint64_t Bit(std::string_view s) { return HashWord(s) >> (64 - kLog2Bits); }
  std::vector<uint64_t> bits_;
};

// Which characters begin a piece longer than themselves: a merge can only
// produce a piece that starts with its left symbol's first character, so a
// symbol starting with any other character merges with nothing, and the
// encoder skips the lookups (in CJK text under llama2, for instance, no
// Chinese character begins a longer piece, and every pair is looked up in
// vain otherwise). Exact for ASCII and three-byte characters; any other
// character is assumed to begin one.
class MergeStartFilter {
 public:
  MergeStartFilter() = default;
  // Marks the first character of `p` if `p` has more than it (build by
  // adding every piece).
  void Add(std::string_view p) {
    if (p.empty()) return;
    const auto b0 = static_cast<unsigned char>(p[0]);
    if (b0 < 0x80) {
      if (p.size() > 1) ascii_[b0] = true;
    } else if (const int i = utf8::ThreeByteIndex(p); i >= 0 && p.size() > 3) {
      three_byte_[i >> 6] |= uint64_t{1} << (i & 63);
    }
  }

  // False if no piece longer than the character at the start of `text`
  // (non-empty) begins with it.
  bool MayBeginLonger(std::string_view text) const {
    const auto b0 = static_cast<unsigned char>(text[0]);
    if (b0 < 0x80) return ascii_[b0];
    const int i = utf8::ThreeByteIndex(text);
    return i < 0 || ((three_byte_[i >> 6] >> (i & 63)) & 1) != 0;
  }

 private:
  bool ascii_[128] = {};
  uint64_t three_byte_[65536 / 64] = {};
};

}  // namespace sentencepiece

#endif  // SPM_SRC_ENCODER_PAIR_MAP_H_
