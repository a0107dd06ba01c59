#include "encoder/char_adjacency.h"

#include "common/utf8.h"
#include "encoder/vocabulary.h"

namespace sentencepiece {

std::unique_ptr<CharAdjacency> CharAdjacency::Build(const Vocabulary& vocab) {
  std::unique_ptr<CharAdjacency> a(new CharAdjacency());
  a->bits_.assign((size_t{1} << kLog2Bits) / 64, 0);
  a->joined_.assign(0x10000 / 64, 0);
  uint64_t* const bits = a->bits_.data();
  uint64_t* const joined = a->joined_.data();
  auto join = [joined](char32_t c) {
    if (c < 0x10000) joined[c >> 6] |= uint64_t{1} << (c & 63);
  };
  // Runs once per model, once the texts that would be cut with it add up
  // (Model::AdjacencyIfFree()); ~200k characters for a 30k-piece
  // vocabulary: each character is decoded once, ASCII and well-formed
  // three-byte characters (nearly all of them) inline, and its small index
  // and packed key are kept as the left side of the next pair.
  for (int id = 0; id < vocab.size(); ++id) {
    const std::string_view p = vocab.IdToPiece(id);
    const auto* b = reinterpret_cast<const unsigned char*>(p.data());
    const size_t n = p.size();
    char32_t prev_cp = 0;
    size_t prev_len = 0;
    int prev_small = -1;
    uint64_t prev_key = 0;
    for (size_t pos = 0; pos < n;) {
      char32_t cp;
      size_t len;
      int small;
      uint64_t key;
      const unsigned lead = b[pos];
      if (lead < 0x80) {
        cp = lead;
        len = 1;
        small = static_cast<int>(lead);
        key = AsciiKey(static_cast<unsigned char>(lead)).packed;
      } else if (utf8::StartsWithWholeThreeByteChar(p.substr(pos))) {
        cp = static_cast<char32_t>(utf8::ThreeByteIndex(p.substr(pos)));
        len = 3;
        small = cp == 0x2581 ? kSpaceIndex : -1;  // `▁`
        key = utf8::PackChar(p.substr(pos, 3));
      } else {
        cp = utf8::Decode(p.substr(pos), &len);
        if (cp == utf8::kReplacementChar && len != 3) return nullptr;  // Malformed.
        const std::string_view c = p.substr(pos, len);
        small = SmallIndex(c);
        key = utf8::PackChar(c);
      }
      if (pos > 0) {
        if (pos == prev_len) join(prev_cp);  // The piece's first character.
        join(cp);
        if ((prev_small | small) >= 0) {
          a->small_[prev_small][small >> 6] |= uint64_t{1} << (small & 63);
        } else {
          const uint64_t bit = KeyBit(prev_key, key);
          bits[bit >> 6] |= uint64_t{1} << (bit & 63);
        }
      }
      prev_cp = cp;
      prev_len = len;
      prev_small = small;
      prev_key = key;
      pos += len;
    }
  }
  return a;
}

}  // namespace sentencepiece
