// Code point <-> UTF-8 conversions with the exact semantics the reference
// SentencePiece 0.1.97 applies when it compiles, decompiles and prints
// normalization rules.
//
// They differ from a textbook UTF-8 codec on purpose, because the charsmap
// blob bytes and the `--decompile` TSV must match the reference byte for byte:
//   * Encoding never fails: a value above U+10FFFF becomes U+FFFD, while a
//     surrogate (U+D800..U+DFFF) is written as its 3-byte pattern, which
//     IsStructurallyValidUtf8() then rejects. U+0000 becomes a NUL byte.
//   * Lenient decoding turns every byte that does not start a well-formed,
//     shortest-form, non-surrogate sequence into U+FFFD and consumes exactly
//     that one byte.
//
// Internal helpers of the charsmap compiler; not part of the public API.

#ifndef SPM_SRC_TRAINER_CHARSMAP_UTF8_H_
#define SPM_SRC_TRAINER_CHARSMAP_UTF8_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace sentencepiece {
namespace internal {

inline constexpr char32_t kReplacementChar = 0xFFFD;

// Appends the UTF-8 form of every code point in `cps` (rules above).
std::string EncodeCodepoints(std::u32string_view cps);

// Decodes one character at the start of `bytes` (must be non-empty). Sets
// *length to the bytes consumed. Invalid input yields U+FFFD with *length 1;
// a well-formed U+FFFD yields U+FFFD with *length 3.
char32_t DecodeOneCodepoint(std::string_view bytes, size_t* length);

// Decodes all of `bytes` with DecodeOneCodepoint().
std::u32string DecodeUtf8Lenient(std::string_view bytes);

// True iff every character of `bytes` decodes without substitution.
bool IsStructurallyValidUtf8(std::string_view bytes);

}  // namespace internal
}  // namespace sentencepiece

#endif  // SPM_SRC_TRAINER_CHARSMAP_UTF8_H_
