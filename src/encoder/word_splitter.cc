#include "encoder/word_splitter.h"

#include "common/utf8.h"

namespace sentencepiece {

WordSplitter::WordSplitter(const std::vector<std::string_view>& pieces) {
  const std::string_view ws = utf8::kSpaceSymbol;
  for (std::string_view p : pieces) {
    if (p.find('\xE2') == std::string_view::npos) continue;  // No `▁` in it.
    for (size_t i = 0; i + 1 < p.size(); ++i) {
      // b followed by `▁`, or by a prefix of it that ends the piece.
      const std::string_view rest = p.substr(i + 1);
      if (rest.substr(0, 3) == ws || (rest.size() < 3 && ws.substr(0, rest.size()) == rest)) {
        unsafe_before_[static_cast<unsigned char>(p[i])] = true;
      }
    }
    for (size_t i = 0; i + 3 < p.size(); ++i) {
      if (p.substr(i, 3) == ws) unsafe_after_[static_cast<unsigned char>(p[i + 3])] = true;
    }
  }
}

}  // namespace sentencepiece
