// Text normalization as a SentencePiece model specifies it.
//
// A model carries its normalization rules compiled into a
// `precompiled_charsmap`: a Darts-clone double array whose keys are source
// strings and whose values point into a pool of NUL-terminated replacements.
// Normalizing walks the text left to right; at each position it takes, in
// order of priority:
//   1. the longest user-defined symbol starting there, copied verbatim;
//   2. the longest rule whose source starts there, replaced by its target;
//   3. one well-formed UTF-8 character, copied;
//   4. one byte of malformed UTF-8, replaced by U+FFFD.
// Around that loop it strips leading, trailing and repeated whitespace
// (remove_extra_whitespaces), adds the dummy `▁` prefix (or suffix, for
// treat_whitespace_as_suffix models), and replaces " " by `▁`
// (escape_whitespaces). For each output byte it records the offset of the
// input chunk it came from, so pieces can be mapped back to the original
// text.
//
// This file never uses ICU: what a rule does is entirely in the model.

#ifndef SPM_SRC_NORMALIZER_NORMALIZER_H_
#define SPM_SRC_NORMALIZER_NORMALIZER_H_

#include <array>
#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "common/double_array.h"
#include "common/utf8.h"
#include "common/zero_pages.h"
#include "normalizer/prefix_matcher.h"
#include "sentencepiece_model.pb.h"

namespace sentencepiece {

class Normalizer {
 public:
  // Builds a normalizer for `spec`. Fails with "Blob for normalization rule
  // is broken." (Internal) if the charsmap is malformed. An empty charsmap
  // means no rewriting (the `identity` rule).
  static absl::StatusOr<std::unique_ptr<Normalizer>> Create(const NormalizerSpec& spec,
                                                            bool treat_whitespace_as_suffix);

  // Protects user-defined symbols from normalization. `matcher` is not owned
  // and must outlive this object; nullptr removes it.
  void SetPrefixMatcher(const PrefixMatcher* matcher) {
    const bool was_empty = matcher_ == nullptr || matcher_->empty();
    matcher_ = matcher;
    // A matcher without symbols changes nothing computed from it.
    if (plain_computed_ && was_empty && (matcher == nullptr || matcher->empty())) return;
    ComputePlainBytes();
  }

  // Normalizes `input` into *normalized. *norm_to_orig receives, for each
  // byte of *normalized, the offset in `input` of the chunk it came from,
  // plus one final entry: the end of the consumed input. Both are empty when
  // `input` is empty or only whitespace (with remove_extra_whitespaces).
  void Normalize(std::string_view input, std::string* normalized,
                 std::vector<size_t>* norm_to_orig) const;

  // As above, without the alignment (cheaper: no offset per byte).
  void Normalize(std::string_view input, std::string* normalized) const;
  std::string Normalize(std::string_view input) const;

  // Normalizes the chunk at the start of `input` (REQUIRES: non-empty):
  // returns the replacement and the number of input bytes it consumes. The
  // view points into `input`, the rule pool or a static string.
  std::pair<std::string_view, size_t> NormalizePrefix(std::string_view input) const;

  const NormalizerSpec& spec() const { return spec_; }

  // For encoders that skip normalization of words that normalize to
  // themselves (see encoder/fast_ids.h):
  //
  // True if `word` (no spaces) normalizes to exactly itself, chunk by chunk.
  bool NormalizesToItself(std::string_view word) const;
  // Appends the normalization of `word` (no spaces) on its own, chunk by
  // chunk, as it reads inside a line after a separator space (spaces that
  // rules produce become `▁`, leading ones dropped as the line would), to
  // *out and returns true if the result is not empty and does not end with
  // `▁` (which would meet the next separator or the line's end). Otherwise
  // returns false (*out then holds a partial result). Between words whose
  // spaces are SpaceIsolated(), a line normalizes to its words' results
  // joined by `▁` (escape_whitespaces models).
  //
  // With `space_end`, a result that ends with a space the rules produced
  // (when whitespace removal makes it swallow the next separator) is
  // accepted without that `▁`, and *space_end says so: joining still holds
  // unless the word ends the line, where the caller must not use it. And
  // with whitespace removal an empty result is accepted: the word vanishes
  // from the line with its separator (the caller joins nothing for it).
  bool AppendNormalizedWord(std::string_view word, std::string* out,
                            bool* space_end = nullptr) const;
  // True if every byte of `word` is ASCII that normalizes to itself within
  // ASCII text (IdentityCharLen()'s table): AppendNormalizedWord() then
  // appends `word` as it is and returns true. Most words of Latin-script
  // text; one table load per byte.
  bool IsAsciiIdentity(std::string_view word) const {
    for (const char c : word) {
      if (ascii_identity_[static_cast<unsigned char>(c)] == 0) return false;
    }
    return true;
  }
  // True if a space between a word ending with byte `last` and one starting
  // with byte `first` is normalized on its own, to itself: no rule's source
  // is " " or contains `last` + " " or " " + `first`, and no user-defined
  // symbol contains a space. Only then do words between single spaces
  // normalize independently.
  bool SpaceIsolated(unsigned char last, unsigned char first) const {
    return !space_in_symbols_ && !space_rewritten_ && !byte_then_space_[last] &&
           !space_then_byte_[first];
  }
  // SpaceIsolated() for every pair of bytes (no rule's source has a space
  // and no user-defined symbol contains one): a line's words need no
  // check of their neighbours.
  bool SpacesAlwaysIsolated() const { return spaces_always_isolated_; }
  // True for ' ' and, where spaces are always isolated
  // (SpacesAlwaysIsolated()), for each control byte (below 0x20) that a
  // rule rewrites to a single space on its own and that no longer rule
  // source and no user-defined symbol contains: nmt_nfkc's tab, line feed,
  // form feed and carriage return. Anywhere in a text such a byte normalizes exactly as a
  // space there would (each of its neighbours is normalized as if a space
  // stood in its place), so an encoder may split words at it as at a space
  // and treat the two alike.
  bool IsSeparator(unsigned char b) const { return separator_[b]; }
  const bool* separators() const { return separator_; }
  // Whether a byte other than ' ' is a separator.
  bool HasOtherSeparators() const { return other_separators_; }

 private:
  Normalizer(const NormalizerSpec& spec, bool suffix) : spec_(spec), suffix_(suffix) {
    separator_[static_cast<unsigned char>(' ')] = true;
  }
  // Marks the lead bytes that no rule and no user-defined symbol starts
  // with: characters starting with them are copied without lookups.
  void ComputePlainBytes();
  // Marks the three-byte characters that no rule and no user-defined
  // symbol starts with, when their lead byte is not plain (CJK text under
  // NFKC rules, which rewrite a few characters of each block).
  void ComputePlain3();
  // Fills ascii_identity_ (after ComputePlain3()).
  void ComputeAsciiRuns();
  // Length of the character at input[i] if it is well-formed and no rule or
  // symbol starts with it (it normalizes to itself), else 0.
  size_t PlainCharLen(std::string_view input, size_t i) const {
    const auto c = static_cast<unsigned char>(input[i]);
    if ((c & 0xF0) == 0xE0) {
      // Three bytes, whether the lead byte is plain or not: the bitmap holds
      // every well-formed character of a plain lead byte too.
      if (input.size() - i < 3) return 0;
      const auto b1 = static_cast<unsigned char>(input[i + 1]);
      const auto b2 = static_cast<unsigned char>(input[i + 2]);
      if ((b1 & 0xC0) != 0x80 || (b2 & 0xC0) != 0x80) return 0;
      const uint32_t cp = ((c & 0xF) << 12) | ((b1 & 0x3F) << 6) | (b2 & 0x3F);
      return (plain3_[cp >> 6] >> (cp & 63)) & 1 ? 3 : 0;
    }
    if (!plain_[c]) return 0;
    if (c < 0x80) return 1;
    size_t len = 0;
    return utf8::DecodeValid(input.substr(i), &len) ? len : 0;
  }
  // The reference collects at most this many prefix matches per position
  // and takes the longest among them; rule compilers guarantee fewer.
  static constexpr int kMaxPrefixMatches = 32;
  // char_ entry states (see normalizer_tables.cc).
  static constexpr uint64_t kCharComplex = 1;
  static constexpr uint64_t kCharIdentity = 2;
  static constexpr uint64_t kCharRule = 3;
  static constexpr uint64_t kCharNoAsciiNext = 1 << 10;
  static constexpr uint64_t kCharNext1 = 1 << 11;
  static constexpr uint64_t kCharNext2 = 1 << 28;
  static constexpr uint64_t kCharNext3 = 1 << 29;
  // PlainCharLen(), or for a character that rules start with, its length
  // if no rule matches at input[i] (it still normalizes to itself there),
  // else 0.
  size_t IdentityCharLen(std::string_view input, size_t i) const {
    const auto c = static_cast<unsigned char>(input[i]);
    // ASCII (most bytes of Latin-script words) from its table.
    const uint8_t ascii = ascii_identity_[c];
    if (ascii == kAsciiPlain ||
        (ascii == kAsciiBeforeAscii &&
         (i + 1 == input.size() || static_cast<unsigned char>(input[i + 1]) < 0x80))) {
      return 1;
    }
    if ((c & 0xF0) == 0xE0 && input.size() - i >= 3) {
      // Three-byte characters: the bitmap, which holds every well-formed
      // one of a plain lead byte (CJK ideographs under NFKC) and those no
      // rule starts with in other blocks, then for a lead byte with rules
      // for some of its block (kana, which compose with voicing marks; CJK
      // punctuation) the table, all from one decode.
      const unsigned b1 = static_cast<unsigned char>(input[i + 1]) ^ 0x80u;
      const unsigned b2 = static_cast<unsigned char>(input[i + 2]) ^ 0x80u;
      const uint32_t cp = ((c & 0xFu) << 12) | (b1 << 6) | b2;
      const bool trail_bytes = (b1 | b2) < 0x40;
      if (trail_bytes && ((plain3_[cp >> 6] >> (cp & 63)) & 1)) return 3;
      if (plain_[c] || !table_lead_[c]) return GeneralIdentityLen(input, i);
      if (!trail_bytes) return 0;
      if (cp < 0x800 || (cp >= 0xD800 && cp < 0xE000)) return 0;  // Malformed.
      // (Acquire: see kCharNext3.)
      const uint64_t e = char_.get()[cp].load(std::memory_order_acquire);
      if ((e & 3) != kCharIdentity) return e == 0 ? TableIdentityLen(input, i) : 0;
      MaybeAdmitRun3(cp, e);
      if ((e >> 32) == 0) return 3;  // No longer rule.
      const size_t j = i + 3;
      if (j == input.size()) return 3;
      const auto next = static_cast<unsigned char>(input[j]);
      if (e & kCharNext1) {
        if (next != ((e >> 12) & 0xFF)) return 3;
        if ((e & kCharNext2) && (j + 1 == input.size() ||
                                 static_cast<unsigned char>(input[j + 1]) != ((e >> 20) & 0xFF))) {
          return 3;
        }
      } else if ((e & kCharNext3) && NoFollowerAt(input, j)) {
        return 3;  // A kana before another character than a voicing mark.
      }
      return RuleContinues(input, j, static_cast<uint32_t>(e >> 32)) ? 0 : 3;
    }
    return GeneralIdentityLen(input, i);
  }
  // The end of the run of three-byte characters from input[i] for which
  // IdentityCharLen() gives 3, as far as run3_'s bitmap settles it (CJK
  // ideographs, and kana once seen); stops at the first character left to
  // IdentityCharLen() (which may still give 3 for it). A text of CJK
  // ideographs or kana takes one tight loop here, one bit test a
  // character, instead of a dispatch per character (~35 instructions a
  // character on Japanese text) or a branch on the character's kind
  // (kanji or kana, which alternate unpredictably: the table path for
  // kana in this loop cost ~15% of an ALBERT run on Japanese).
  size_t ThreeByteIdentityEnd(std::string_view input, size_t i) const {
    const auto* p = reinterpret_cast<const unsigned char*>(input.data());
    const size_t n = input.size();
    const size_t start = i;
    // Four bytes readable for each step (one load): the last character
    // is left to IdentityCharLen().
    while (n - i >= 4) {
      uint32_t w;
      if (!utf8::ThreeByteWordAt4(p + i, &w)) break;
      // (Acquire: see run3_.)
      const uint64_t bits = run3_[utf8::ThreeByteRow(w)].load(std::memory_order_acquire);
      if (((bits >> utf8::ThreeByteBit(w)) & 1) == 0) break;
      i += 3;
    }
    // Inside the run each character is followed by one in run3_, which
    // no longer rule continues with; the last one's longer rules (a kana
    // before a voicing mark) are checked against what follows it, and it
    // is left to IdentityCharLen() if they may apply.
    if (i > start && LongerRuleMayFollow3(input, i - 3)) i -= 3;
    return i;
  }
  // For the well-formed three-byte character at input[i], in run3_:
  // whether a longer rule starting with it may match from there (it has
  // longer rules, and the next character is not a three-byte one outside
  // Followers3()).
  bool LongerRuleMayFollow3(std::string_view input, size_t i) const {
    const int cp = utf8::ThreeByteIndex(input.substr(i));
    if (cp < 0 || ((plain3_[cp >> 6] >> (cp & 63)) & 1)) return false;  // No rule starts with it.
    const uint64_t e = char_.get()[cp].load(std::memory_order_acquire);
    return (e >> 32) != 0 && !NoFollowerAt(input, i + 3);
  }
  // Adds the three-byte character `cp` whose char_ entry is `e` to run3_
  // if the entry allows it (see IdentityCharLen()).
  void MaybeAdmitRun3(uint32_t cp, uint64_t e) const {
    if ((e & 3) != kCharIdentity || (e & kCharNext1) ||
        ((e >> 32) != 0 && (e & kCharNext3) == 0)) {
      return;
    }
    if ((run3_[cp >> 6].load(std::memory_order_relaxed) >> (cp & 63)) & 1) return;
    AdmitRun3(cp);
  }
  void AdmitRun3(uint32_t cp) const;
  // For a kCharNext3 entry's character before input[j]: whether input[j]
  // starts a well-formed three-byte character that no longer rule
  // continues with (not in Followers3()), so the character before it
  // normalizes to itself.
  bool NoFollowerAt(std::string_view input, size_t j) const {
    if (input.size() - j < 3) return false;
    const auto* p = reinterpret_cast<const unsigned char*>(input.data()) + j;
    const unsigned n1 = p[1] ^ 0x80u;
    const unsigned n2 = p[2] ^ 0x80u;
    if ((p[0] & 0xF0) != 0xE0 || (n1 | n2) >= 0x40) return false;
    const uint32_t follower = ((p[0] & 0xFu) << 12) | (n1 << 6) | n2;
    const uint64_t bits = Followers3()[follower >> 6].load(std::memory_order_relaxed);
    return ((bits >> (follower & 63)) & 1) == 0;
  }
  // IdentityCharLen() of a character the paths for ASCII and three bytes
  // do not settle.
  size_t GeneralIdentityLen(std::string_view input, size_t i) const {
    if (const size_t len = PlainCharLen(input, i); len > 0) return len;
    if (!table_lead_[static_cast<unsigned char>(input[i])]) return 0;
    return TableIdentityLen(input, i);
  }
  // Whether a rule continues from trie node `node` with input[j...] (some
  // key ends within it).
  bool RuleContinues(std::string_view input, size_t j, uint32_t node) const {
    for (; j < input.size(); ++j) {
      const int v = trie_.Traverse(&node, static_cast<unsigned char>(input[j]));
      if (v == DoubleArray::kNoPath) return false;
      if (v >= 0) return true;
    }
    return false;
  }
  // IdentityCharLen() from the table.
  size_t TableIdentityLen(std::string_view input, size_t i) const;
  // A bit per code point below U+10000, after char_'s entries: the
  // three-byte characters that some longer rule continues with after a
  // character whose entry has kCharNext3 (a union over all of them).
  std::atomic<uint64_t>* Followers3() const { return char_.get() + 65536; }
  // Sets the Followers3() bits of the longer rules continuing from trie
  // node `node`; false if some rule continues with only part of a
  // three-byte character.
  bool RecordFollowers3(uint32_t node) const;
  // The char_ entry of the character at the start of `input` (computed on
  // first sight) and its length in *n; 0 when the table does not answer.
  uint64_t CharEntry(std::string_view input, size_t* n) const;
  // Normalize(); with kAlign false, norm_to_orig is not touched (may be
  // null): the ids-only encode path skips the per-byte offsets.
  template <bool kAlign>
  void NormalizeImpl(std::string_view input, std::string* normalized,
                     std::vector<size_t>* norm_to_orig) const;

  // NormalizePrefix() for a well-formed character below U+10000 at the
  // start of `input`, from the per-character table; false when the table
  // does not answer (then the general lookup runs).
  bool PrefixFromTable(std::string_view input, std::pair<std::string_view, size_t>* out) const;
  // The table entry of character `c` (see normalizer_tables.cc).
  uint64_t ComputeCharEntry(std::string_view c) const;
  // The rule target stored at pool offset `value`, as NormalizePrefix()
  // returns it for a match of `longest` bytes.
  std::pair<std::string_view, size_t> PoolTarget(int value, size_t longest) const;
  // The target of a kCharRule char_ entry `e` for a character of n bytes.
  std::pair<std::string_view, size_t> RuleTarget(uint64_t e, size_t n) const {
    return {std::string_view(pool_.data() + ((e >> 12) & 0xFFFFF), (e >> 2) & 0xFF), n};
  }

  NormalizerSpec spec_;
  bool suffix_;               // treat_whitespace_as_suffix.
  DoubleArray trie_;          // Rule sources; values are offsets in pool_.
  std::string pool_;          // NUL-terminated rule targets.
  const PrefixMatcher* matcher_ = nullptr;
  bool plain_[256] = {};
  // Bytes that start no UTF-8 character (0x80-0xC1, 0xF5-0xFF), no rule
  // and no user-defined symbol: each normalizes alone to U+FFFD.
  bool malformed_[256] = {};
  bool plain_computed_ = false;  // ComputePlainBytes() has run.
  // Bit per code point below U+10000 (none below U+0800); see ComputePlain3().
  std::array<uint64_t, 65536 / 64> plain3_ = {};
  // The three-byte characters that normalize to themselves whatever
  // follows them, but for a longer rule that continues with a character of
  // Followers3(), and that no longer rule continues with: plain3_'s
  // characters, and characters with table entries (kana) added on first
  // sight (AdmitRun3()); followers leave it when recorded. A bit per code
  // point, read with acquire: a character is added only after its entry,
  // and its followers' removal, are stored. AdmitRun3() and
  // RecordFollowers3() change it under run3_mu_.
  mutable std::array<std::atomic<uint64_t>, 65536 / 64> run3_ = {};
  mutable std::mutex run3_mu_;
  // Per character below U+10000 that a rule or the matcher may start
  // with, what a lookup finds (see normalizer_tables.cc), filled in on first sight
  // by any thread (entries are deterministic, so racing writers store the
  // same value). Zero pages: only the pages a text touches cost anything.
  ZeroPageArray<std::atomic<uint64_t>> char_;
  bool table_lead_[256] = {};  // Characters with this lead byte: char_ may answer.
  // Per ASCII byte, IdentityCharLen()'s answer in one lookup: kAsciiPlain,
  // always itself (plain, or a user-defined symbol of one byte);
  // kAsciiBeforeAscii, itself when the next byte is ASCII or there is none
  // (a letter that composes with combining marks: its char_ entry); 0, look
  // further. See ComputeAsciiRuns().
  static constexpr uint8_t kAsciiPlain = 1;
  static constexpr uint8_t kAsciiBeforeAscii = 2;
  uint8_t ascii_identity_[256] = {};
  // Per ASCII byte whose rule no longer rule continues (a control
  // character NFKC maps to a space or to nothing): its char_ entry (a
  // kCharRule one), else 0. See ComputeAsciiRuns().
  uint64_t ascii_rule_[128] = {};
  // Byte pairs around a space inside some rule source; see SpaceIsolated().
  bool byte_then_space_[256] = {};
  bool space_then_byte_[256] = {};
  bool space_in_symbols_ = false;
  bool space_rewritten_ = false;  // A rule's source is exactly " ".
  bool spaces_always_isolated_ = false;  // See UpdateSpacesIsolated().
  // Sets spaces_always_isolated_ from the four members above.
  void UpdateSpacesIsolated();
  // Bytes that some rule source of two or more bytes contains (filled by
  // ComputeSpaceContext()), and the separators (ComputeSeparators()).
  bool in_longer_rule_[256] = {};
  bool separator_[256] = {};
  bool other_separators_ = false;
  // Fills separator_ from the rules and the user-defined symbols. REQUIRES:
  // ComputeSpaceContext() and the plain-byte tables done.
  void ComputeSeparators();
  // Fills byte_then_space_ and space_then_byte_ from the rule trie.
  void ComputeSpaceContext();
};

}  // namespace sentencepiece

#endif  // SPM_SRC_NORMALIZER_NORMALIZER_H_
