#include "encoder/char_adjacency.h"

#include "common/utf8.h"
#include "encoder/vocabulary.h"

namespace sentencepiece {

std::unique_ptr<CharAdjacency> CharAdjacency::Build(const Vocabulary& vocab) {
  std::unique_ptr<CharAdjacency> a(new CharAdjacency());
  a->bits_.assign((size_t{1} << kLog2Bits) / 64, 0);
  a->joined_.assign(0x10000 / 64, 0);
  auto join = [&a](char32_t c) {
    if (c < 0x10000) a->joined_[c >> 6] |= uint64_t{1} << (c & 63);
  };
  for (int id = 0; id < vocab.size(); ++id) {
    const std::string_view p = vocab.IdToPiece(id);
    std::string_view prev;
    char32_t prev_cp = 0;
    for (size_t pos = 0; pos < p.size();) {
      size_t len = 0;
      const char32_t cp = utf8::Decode(p.substr(pos), &len);
      if (cp == utf8::kReplacementChar && len != 3) return nullptr;  // Malformed.
      const std::string_view c = p.substr(pos, len);
      if (!prev.empty()) {
        if (pos == prev.size()) join(prev_cp);  // The piece's first character.
        join(cp);
        const int sa = SmallIndex(prev);
        const int sb = SmallIndex(c);
        if ((sa | sb) >= 0) {
          a->small_[sa][sb >> 6] |= uint64_t{1} << (sb & 63);
        } else {
          const uint64_t bit = Bit(prev, c);
          a->bits_[bit >> 6] |= uint64_t{1} << (bit & 63);
        }
      }
      prev = c;
      prev_cp = cp;
      pos += len;
    }
  }
  return a;
}

}  // namespace sentencepiece
