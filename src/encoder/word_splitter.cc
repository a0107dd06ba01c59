#include "encoder/word_splitter.h"

#include "common/utf8.h"

namespace sentencepiece {

WordSplitter::WordSplitter(const std::vector<std::string_view>& pieces) {
  const std::string_view ws = utf8::kSpaceSymbol;
  // Every case starts at a 0xE2 byte (the first of `▁`). Pieces are short,
  // so a plain byte loop beats a memchr call per piece.
  for (std::string_view p : pieces) {
    for (size_t i = 0; i < p.size(); ++i) {
      if (p[i] != '\xE2') continue;
      const std::string_view rest = p.substr(i);
      const bool full = rest.substr(0, 3) == ws;
      // b followed by `▁`, or by a prefix of it that ends the piece.
      if (i > 0 && (full || (rest.size() < 3 && ws.substr(0, rest.size()) == rest))) {
        unsafe_before_[static_cast<unsigned char>(p[i - 1])] = true;
      }
      if (full && rest.size() > 3) unsafe_after_[static_cast<unsigned char>(p[i + 3])] = true;
    }
  }
}

}  // namespace sentencepiece
