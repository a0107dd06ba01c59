// Longest-prefix matching of user-defined symbols.
//
// User-defined pieces are kept whole: the normalizer copies them verbatim
// instead of normalizing them, and the BPE and char encoders start from them
// as frozen symbols. Both ask the same question: "does a user-defined symbol
// start here, and how long is the longest one?"

#ifndef SPM_SRC_NORMALIZER_PREFIX_MATCHER_H_
#define SPM_SRC_NORMALIZER_PREFIX_MATCHER_H_

#include <set>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "common/double_array.h"
#include "common/utf8.h"

namespace sentencepiece {

class PrefixMatcher {
 public:
  // An empty set gives a matcher that never matches.
  static absl::StatusOr<PrefixMatcher> Create(const std::set<std::string_view>& symbols);
  PrefixMatcher() = default;

  bool empty() const { return trie_.empty(); }

  // Length of the longest symbol that prefixes `s`, with *found = true; else
  // the length of the first character (one UTF-8 sequence judged by its lead
  // byte, capped at s.size()) with *found = false. REQUIRES: !s.empty().
  size_t PrefixMatch(std::string_view s, bool* found) const {
    if (!first_byte_[static_cast<unsigned char>(s[0])]) {
      *found = false;
      const size_t len = utf8::OneCharLen(s[0]);
      return len < s.size() ? len : s.size();
    }
    return PrefixMatchSlow(s, found);
  }

  // True if some symbol contains byte `c`.
  bool ContainsByte(char c) const { return bytes_.find(c) != std::string::npos; }

  // False if no symbol starts with byte `c`.
  bool MayStartWith(unsigned char c) const { return first_byte_[c]; }

  // True if byte `c` alone is a symbol and no longer symbol starts with it
  // (then it matches, one byte long, wherever it appears).
  bool IsLoneByteSymbol(unsigned char c) const;

 private:
  explicit PrefixMatcher(DoubleArray trie) : trie_(std::move(trie)) {}
  size_t PrefixMatchSlow(std::string_view s, bool* found) const;
  DoubleArray trie_;
  std::string bytes_;  // Every distinct byte of every symbol.
  bool first_byte_[256] = {};  // Some symbol starts with this byte.
};

}  // namespace sentencepiece

#endif  // SPM_SRC_NORMALIZER_PREFIX_MATCHER_H_
