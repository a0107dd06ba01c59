// Which characters stand next to each other inside some vocabulary piece:
// where a long word can be cut into parts that segment on their own.
//
// A segment that covers both sides of the edge between characters a and b
// of a text is a piece containing "ab". If no piece contains a directly
// followed by b, no segmentation puts a and b in one segment: BPE never
// merges across that edge, and no unigram lattice edge crosses it, so the
// text before and the text after segment independently, with the same
// result (and, for unigram, the same path scores) as the whole. A long word
// of unspaced script or random bytes has such an edge every few characters;
// cut there, it is segmented in small parts and in linear time.
//
// The pairs are kept as a one-bit-per-hash filter: a pair it has not seen
// is certainly in no piece; a pair it has seen (or a collision, a few
// percent) is simply not cut. Built from every piece of the vocabulary
// (whatever its type), only when a vocabulary is well-formed UTF-8.

#ifndef SPM_SRC_ENCODER_CHAR_ADJACENCY_H_
#define SPM_SRC_ENCODER_CHAR_ADJACENCY_H_

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "common/utf8.h"

namespace sentencepiece {

class Vocabulary;

class CharAdjacency {
 public:
  // Null when some piece is not well-formed UTF-8 (its characters, hence
  // the text's edges inside it, are not well defined).
  static std::unique_ptr<CharAdjacency> Build(const Vocabulary& vocab);

  // Whether no piece contains well-formed character `a` directly followed
  // by well-formed character `b` (each one whole character, 1-4 bytes).
  bool NeverAdjacent(std::string_view a, std::string_view b) const {
    return NeverAdjacent(KeyOf(a), KeyOf(b));
  }
  // A character as NeverAdjacent() looks it up: worked out once for each
  // character of a text walked in order, not once for each side of each
  // pair.
  struct Key {
    int small;        // SmallIndex(), or -1.
    uint64_t packed;  // utf8::PackChar().
  };
  static Key KeyOf(std::string_view c) { return {SmallIndex(c), utf8::PackChar(c)}; }
  // KeyOf() an ASCII byte.
  static Key AsciiKey(unsigned char c) { return {c, (uint64_t{1} << 8) | c}; }
  bool NeverAdjacent(const Key& a, const Key& b) const {
    if ((a.small | b.small) >= 0) return NeverAdjacentSmall(a.small, b.small);
    const uint64_t bit = KeyBit(a.packed, b.packed);
    return ((bits_[bit >> 6] >> (bit & 63)) & 1) == 0;
  }
  // NeverAdjacent() of two characters by SmallIndex(): ASCII bytes as
  // themselves, `▁` as kSpaceIndex.
  static constexpr int kSpaceIndex = 128;
  bool NeverAdjacentSmall(int a, int b) const {
    return ((small_[a][b >> 6] >> (b & 63)) & 1) == 0;
  }
  // Whether code point `c` (below U+10000) is in no piece of two or more
  // characters: in any text, no segment joins it to its neighbours, so it
  // segments alone, as the text of that one character would, with a cut on
  // either side (for a text of unspaced script under most vocabularies,
  // nearly every character).
  bool Lone(uint32_t c) const { return ((joined_[c >> 6] >> (c & 63)) & 1) == 0; }

 private:
  static constexpr int kLog2Bits = 21;  // 256 KB.
  // The pairs of ASCII characters and `▁`, the most frequent by far, are
  // kept exactly in a table of 4 KB that stays in the CPU's caches.
  static constexpr int kSmall = 129;  // ASCII, then `▁`.
  static int SmallIndex(std::string_view c) {
    if (c.size() == 1) return static_cast<unsigned char>(c[0]) < 128 ? c[0] : -1;
    return c == utf8::kSpaceSymbol ? kSpaceIndex : -1;
  }
  uint64_t small_[kSmall][(kSmall + 63) / 64] = {};

  // The filter's bit for two characters' utf8::PackChar() keys.
  static uint64_t KeyBit(uint64_t a, uint64_t b) {
    return (((a << 32) ^ b) * 0x9E3779B97F4A7C15ull) >> (64 - kLog2Bits);
  }

  std::vector<uint64_t> bits_;
  // A bit per code point below U+10000: set if some piece of two or more
  // characters contains it.
  std::vector<uint64_t> joined_;
};

}  // namespace sentencepiece

#endif  // SPM_SRC_ENCODER_CHAR_ADJACENCY_H_
