// UTF-8 helpers shared by the normalizer, the encoders and the decoder.
//
// The rules are SentencePiece's, which differ from a strict validator in one
// way that matters for byte identity: on invalid input the decoder consumes
// exactly one byte and reports U+FFFD, so every byte of malformed text is
// handled on its own.

#ifndef SPM_SRC_COMMON_UTF8_H_
#define SPM_SRC_COMMON_UTF8_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace sentencepiece {
namespace utf8 {

inline constexpr char32_t kReplacementChar = 0xFFFD;
inline constexpr std::string_view kReplacementCharUtf8 = "\xEF\xBF\xBD";
// U+2581 LOWER ONE EIGHTH BLOCK, the escaped whitespace.
inline constexpr std::string_view kSpaceSymbol = "\xE2\x96\x81";

// Length of the character whose lead byte is `lead`, judged from the lead
// byte alone (1 for ASCII and for stray trail bytes, 2 for C0-DF, 3 for E0-EF,
// 4 for F0-FF). Callers cap it at the remaining length.
inline size_t OneCharLen(char lead) {
  static constexpr unsigned char kLen[16] = {1, 1, 1, 1, 1, 1, 1, 1,
                                             1, 1, 1, 1, 2, 2, 3, 4};
  return kLen[static_cast<unsigned char>(lead) >> 4];
}

inline bool IsTrailByte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// A short string (at most 4 bytes: a character) as an integer key, its
// length above its bytes, so keys of different lengths never collide.
inline uint64_t PackChar(std::string_view c) {
  const auto* b = reinterpret_cast<const unsigned char*>(c.data());
  switch (c.size()) {  // The common lengths without a loop.
    case 1:
      return (uint64_t{1} << 8) | b[0];
    case 3:
      return (uint64_t{3} << 24) | (uint64_t{b[0]} << 16) | (uint64_t{b[1]} << 8) | b[2];
    default: {
      uint64_t v = c.size();
      for (size_t i = 0; i < c.size(); ++i) v = (v << 8) | b[i];
      return v;
    }
  }
}

// A Unicode scalar value: not a surrogate, at most U+10FFFF.
inline bool IsValidCodepoint(char32_t c) {
  return c < 0xD800 || (c >= 0xE000 && c <= 0x10FFFF);
}

// Three bytes read as one little-endian word (the first byte lowest):
// whether they are a lead byte 0xE0-0xEF and two trail bytes (the lead
// byte's top four bits and the trail bytes' top two, one mask); then the
// 16 payload bits are ThreeByteRow(w) << 6 | ThreeByteBit(w), taken apart
// as a bitmap of 64-bit words is indexed.
inline bool IsThreeByteWord(uint32_t w) { return (w & 0xC0C0F0u) == 0x8080E0u; }
inline uint32_t ThreeByteRow(uint32_t w) { return ((w & 0x0Fu) << 6) | ((w >> 8) & 0x3Fu); }
inline uint32_t ThreeByteBit(uint32_t w) { return (w >> 16) & 0x3Fu; }

// For tables indexed by three-byte characters: the 16 payload bits of a
// lead byte 0xE0-0xEF and two trail bytes at the start of `s`, else -1.
// Only the byte pattern is checked (overlong forms and surrogates give an
// index too), which is all a table keyed by exact bytes needs.
// ThreeByteIndexAt() reads the three bytes at `p` (REQUIRES: readable).
inline int ThreeByteIndexAt(const unsigned char* p) {
  const uint32_t w = p[0] | (uint32_t{p[1]} << 8) | (uint32_t{p[2]} << 16);
  if (!IsThreeByteWord(w)) return -1;
  return static_cast<int>((ThreeByteRow(w) << 6) | ThreeByteBit(w));
}
inline int ThreeByteIndex(std::string_view s) {
  if (s.size() < 3) return -1;
  return ThreeByteIndexAt(reinterpret_cast<const unsigned char*>(s.data()));
}

// The 11 payload bits of a lead byte 0xC0-0xDF followed by a trail byte at
// the start of `s` (an index, not a code point: overlong forms get one
// too), or -1.
inline int TwoByteIndex(std::string_view s) {
  if (s.size() < 2) return -1;
  const auto lead = static_cast<unsigned char>(s[0]);
  const auto trail = static_cast<unsigned char>(s[1]);
  if ((lead & 0xE0) != 0xC0 || (trail & 0xC0) != 0x80) return -1;
  return static_cast<int>(((lead & 0x1Fu) << 6) | (trail & 0x3Fu));
}

// The word of the bytes at `p`, four of them readable, into *w (one load,
// for loops over text that test the bound once a step); whether they
// start with the pattern (IsThreeByteWord()).
inline bool ThreeByteWordAt4(const unsigned char* p, uint32_t* w) {
  std::memcpy(w, p, sizeof(*w));
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
  *w = __builtin_bswap32(*w);
#endif
  return IsThreeByteWord(*w);
}

// Whether `s` starts with a well-formed three-byte character (not an
// overlong form, not a surrogate): DecodeValid() for that case, inline.
inline bool StartsWithWholeThreeByteChar(std::string_view s) {
  const int cp = ThreeByteIndex(s);
  return cp >= 0x800 && (cp < 0xD800 || cp >= 0xE000);
}

// Decodes the character at the start of `s` (REQUIRES: !s.empty()).
// Returns it and sets *len to its byte length; on malformed input (bad lead
// byte, missing trail bytes, overlong form, surrogate, > U+10FFFF) returns
// U+FFFD with *len = 1.
char32_t Decode(std::string_view s, size_t* len);

// True if `s` starts with a well-formed character (U+FFFD itself included);
// *len is its length, or 1 when malformed. REQUIRES: !s.empty().
inline bool DecodeValid(std::string_view s, size_t* len) {
  return Decode(s, len) != kReplacementChar || *len == 3;
}

// True if `c` is exactly one well-formed character.
inline bool IsWholeChar(std::string_view c) {
  size_t len = 0;
  return !c.empty() && DecodeValid(c, &len) && len == c.size();
}

// Appends the UTF-8 form of `c` to `out`. Invalid code points become U+FFFD.
void Append(char32_t c, std::string* out);

// True if every character of `s` is well-formed.
bool IsStructurallyValid(std::string_view s);

}  // namespace utf8
}  // namespace sentencepiece

#endif  // SPM_SRC_COMMON_UTF8_H_
