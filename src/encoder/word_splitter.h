// Splitting normalized text into words that can be segmented independently.
//
// Both the unigram and the BPE encoders segment a word the same way wherever
// it occurs, as long as no vocabulary piece can cross the word's edges. That
// lets them cache each word's segmentation (most words repeat) and stay
// byte-identical to segmenting the whole text at once.
//
// Which edges are safe is decided at load time from the vocabulary, at the
// byte level so it holds for any piece: an edge before a `▁` that follows
// byte b is safe unless some piece contains b followed by `▁` (or by a
// truncated `▁` at the piece's end); an edge after a `▁` followed by byte b
// is safe unless some piece contains `▁` followed by b. ALBERT-style
// vocabularies (`▁` only at the start of pieces) thus split before every
// `▁`; llama2, which has pieces like `▁▁▁▁`, splits before a `▁` only
// after a non-`▁` character.

#ifndef SPM_SRC_ENCODER_WORD_SPLITTER_H_
#define SPM_SRC_ENCODER_WORD_SPLITTER_H_

#include <array>
#include <cstddef>
#include <string_view>
#include <vector>

namespace sentencepiece {

class WordSplitter {
 public:
  WordSplitter() = default;
  // Adds a piece a segment can be (for unigram: each trie piece; for BPE:
  // each piece a merge can produce). Build by adding every such piece.
  void Add(std::string_view piece);

  // Whether text can be cut before a `▁` that follows `before` (the text
  // up to the cut, non-empty). Decided by its last byte, or where pieces
  // put some character ending in that byte before a `▁` (llama2: `▁▁`, and
  // 0x81 ends many other characters), by its last character.
  bool SafeBefore(std::string_view before) const {
    const auto b = static_cast<unsigned char>(before.back());
    return !unsafe_before_[b] || (!byte_unsafe_before_[b] && SafeBeforeChar(before));
  }

  // Calls fn(begin, end) for consecutive words covering `text`, given the
  // character starts the encoder itself uses (`step(text, pos)` returns the
  // length of the symbol at pos), so edges fall where the encoder would see
  // them.
  template <typename Step, typename Fn>
  void Split(std::string_view text, Step step, Fn fn) const {
    size_t start = 0;
    for (size_t pos = 0; pos < text.size();) {
      const size_t len = step(text, pos);
      if (len == 3 && IsSpaceSymbol(text, pos)) {
        if (pos > start && SafeBefore(text.substr(0, pos))) {
          fn(start, pos);
          start = pos;
        }
        const size_t next = pos + 3;
        if (next < text.size() && next > start &&
            !unsafe_after_[static_cast<unsigned char>(text[next])]) {
          fn(start, next);
          start = next;
        }
      }
      pos += len;
    }
    if (start < text.size()) fn(start, text.size());
  }

 private:
  static bool IsSpaceSymbol(std::string_view text, size_t pos) {
    return text[pos] == '\xE2' && text[pos + 1] == '\x96' && text[pos + 2] == '\x81';
  }

  // The last character of `before` is whole and no piece has it before a
  // `▁`.
  bool SafeBeforeChar(std::string_view before) const;

  std::array<bool, 256> unsafe_before_{};  // Byte b may not precede a split before `▁`.
  // Of those, bytes for which the characters (unsafe_chars_before_) do not
  // decide: some piece has the byte before a `▁` other than as the end of
  // a whole character.
  std::array<bool, 256> byte_unsafe_before_{};
  std::vector<uint64_t> unsafe_chars_before_;  // utf8::PackChar()s, sorted, unique.
  std::array<bool, 256> unsafe_after_{};   // Byte b may not follow a split after `▁`.
};

}  // namespace sentencepiece

#endif  // SPM_SRC_ENCODER_WORD_SPLITTER_H_
