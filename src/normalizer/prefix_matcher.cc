#include "normalizer/prefix_matcher.h"

#include <algorithm>
#include <vector>

#include "common/double_array_builder.h"
#include "common/status_macros.h"
#include "common/utf8.h"

namespace sentencepiece {

absl::StatusOr<PrefixMatcher> PrefixMatcher::Create(const std::set<std::string_view>& symbols) {
  if (symbols.empty()) return PrefixMatcher();
  std::vector<std::pair<std::string_view, uint32_t>> keys;
  for (std::string_view s : symbols) {
    // A NUL byte can never be matched in text by the trie; such a symbol is
    // left out rather than failing the load.
    if (s.find('\0') == std::string_view::npos) keys.emplace_back(s, 1);
  }
  ASSIGN_OR_RETURN(DoubleArray trie, BuildDoubleArray(keys));
  PrefixMatcher m(std::move(trie));
  for (std::string_view s : symbols) {
    if (!s.empty() && s.find('\0') == std::string_view::npos) {
      m.first_byte_[static_cast<unsigned char>(s[0])] = true;
    }
    for (char c : s) {
      if (m.bytes_.find(c) == std::string::npos) m.bytes_.push_back(c);
    }
  }
  return m;
}

bool PrefixMatcher::IsLoneByteSymbol(unsigned char c) const {
  if (!first_byte_[c]) return false;
  uint32_t node = 0;
  if (trie_.Traverse(&node, c) < 0) return false;  // Not a symbol itself.
  for (int b = 1; b < 256; ++b) {
    uint32_t child = node;
    if (trie_.Traverse(&child, static_cast<unsigned char>(b)) != DoubleArray::kNoPath) return false;
  }
  return true;
}

size_t PrefixMatcher::PrefixMatchSlow(std::string_view s, bool* found) const {
  size_t longest = 0;
  trie_.CommonPrefixSearch(s, [&longest](size_t len, int) {
    longest = len;
    return true;
  });
  *found = longest > 0;
  if (longest > 0) return longest;
  return std::min(s.size(), utf8::OneCharLen(s[0]));
}

}  // namespace sentencepiece
