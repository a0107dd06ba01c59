// A string -> id index for keys of 1 to 8 bytes, each key held in its slot.
//
// Decoding pieces looks up every piece of the text, and most pieces are
// short (a byte piece "<0xE4>", a character, "▁the"). PieceTable keeps ids
// only and compares against the vocabulary's strings: a slot, the string's
// view, then its bytes, three loads in a row into tables larger than the
// CPU's nearest caches. Here a slot holds the key's bytes, its length and
// its id, so one load settles a probe.
//
// Performance notes: 16-byte slots, open addressing, linear probing, at
// most half full; a key is packed into a 64-bit word (little-endian bytes,
// zero above its length) without a loop.

#ifndef SPM_SRC_ENCODER_SHORT_KEY_INDEX_H_
#define SPM_SRC_ENCODER_SHORT_KEY_INDEX_H_

#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

namespace sentencepiece {

class ShortKeyIndex {
 public:
  static constexpr size_t kMaxKeyBytes = 8;

  // Sizes the index for `n` keys.
  void Reserve(size_t n) {
    size_t size = 16;
    while (size < 2 * n) size *= 2;
    if (size > slots_.size()) Rehash(size);
  }

  // Adds `key` with `id`; false (and no change) when `key` is already
  // there. REQUIRES: 1 <= key.size() <= kMaxKeyBytes.
  bool Insert(std::string_view key, int32_t id) {
    if (2 * (size_ + 1) > slots_.size()) Rehash(slots_.empty() ? 16 : 2 * slots_.size());
    const uint64_t word = Pack(key);
    const auto len = static_cast<uint32_t>(key.size());
    Slot* s = Probe(word, len);
    if (s->len != 0) return false;
    *s = {word, len, id};
    ++size_;
    return true;
  }

  // The id of `key`, or -1. REQUIRES: 1 <= key.size() <= kMaxKeyBytes.
  int32_t Find(std::string_view key) const {
    if (size_ == 0) return -1;
    const Slot* s = Probe(Pack(key), static_cast<uint32_t>(key.size()));
    return s->len == 0 ? -1 : s->id;
  }

  // The bytes of `key` as a little-endian word, zero above its length.
  static uint64_t Pack(std::string_view key) {
    const auto* p = reinterpret_cast<const unsigned char*>(key.data());
    const size_t n = key.size();
    if (n >= 4) {
      // The first and the last four bytes; where they overlap, the same
      // bytes land on the same bits.
      uint32_t lo, hi;
      std::memcpy(&lo, p, 4);
      std::memcpy(&hi, p + n - 4, 4);
      return uint64_t{lo} | (uint64_t{hi} << (8 * (n - 4)));
    }
    // 1 to 3 bytes: positions 0, n / 2 and n - 1 cover them all.
    return uint64_t{p[0]} | (uint64_t{p[n / 2]} << (8 * (n / 2))) |
           (uint64_t{p[n - 1]} << (8 * (n - 1)));
  }

 private:
  struct Slot {
    uint64_t word = 0;
    uint32_t len = 0;  // 0: empty.
    int32_t id = -1;
  };
  static_assert(sizeof(Slot) == 16, "a slot is 16 bytes");

  static uint64_t Hash(uint64_t word, uint32_t len) {
    uint64_t h = (word ^ (uint64_t{len} << 59)) * 0x9E3779B97F4A7C15ull;
    h ^= h >> 31;
    h *= 0xBF58476D1CE4E5B9ull;
    return h ^ (h >> 27);
  }
  const Slot* Probe(uint64_t word, uint32_t len) const {
    const size_t mask = slots_.size() - 1;
    for (size_t i = Hash(word, len) & mask;; i = (i + 1) & mask) {
      const Slot& s = slots_[i];
      if (s.len == 0 || (s.word == word && s.len == len)) return &s;
    }
  }
  Slot* Probe(uint64_t word, uint32_t len) {
    return const_cast<Slot*>(static_cast<const ShortKeyIndex*>(this)->Probe(word, len));
  }
  void Rehash(size_t size) {
    std::vector<Slot> old(size);
    old.swap(slots_);
    for (const Slot& s : old) {
      if (s.len != 0) *Probe(s.word, s.len) = s;
    }
  }

  std::vector<Slot> slots_;  // A power of two of them, or none.
  size_t size_ = 0;
};

}  // namespace sentencepiece

#endif  // SPM_SRC_ENCODER_SHORT_KEY_INDEX_H_
