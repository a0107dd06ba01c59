// Compiles normalization rules into SentencePiece's `precompiled_charsmap`
// blob, and decompiles a blob back into rules, byte-compatible with the
// reference SentencePiece 0.1.97 (its Builder::CompileCharsMap and
// Builder::DecompileCharsMap).
//
// A rule maps a source code point sequence to a target sequence (an empty
// target deletes the source). At normalization time the longest source that
// prefixes the input is replaced by its target.
//
// Blob layout:
//   [uint32 LE: T = byte size of the trie]
//   [T bytes: Darts-clone units (darts_clone_builder.h); keys = UTF-8 sources,
//    values = byte offsets of the targets in the pool]
//   [pool: every distinct target once, as UTF-8 followed by a NUL, in
//    code point order (so the empty target, if any, is first at offset 0)]
//
// Rules are code point sequences rather than UTF-8 because that is how the
// reference stores them (rule files are lists of hex code points), and it
// keeps the reference's handling of odd input exact: a code point above
// U+10FFFF is written as U+FFFD, a surrogate is rejected, U+0000 in a target
// is copied into the pool as a NUL byte. See charsmap_tsv.h for rule files.
//
// Example:
//   NormalizationRules rules = {{U"\uFF21", U"A"}, {U"\u200B", U""}};
//   absl::StatusOr<std::string> blob = CompileCharsMap(rules);
//   // DecompileCharsMap(*blob) == rules

#ifndef SPM_SRC_TRAINER_CHARSMAP_COMPILER_H_
#define SPM_SRC_TRAINER_CHARSMAP_COMPILER_H_

#include <cstddef>
#include <map>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace sentencepiece {

// Source code points -> target code points. std::u32string orders by code
// point, shorter prefix first: the reference's rule order.
using NormalizationRules = std::map<std::u32string, std::u32string>;

// The most keys a prefix search in the normalizer may return (the
// reference's Normalizer::kMaxTrieResultsSize); every source must have fewer
// than this many sources (itself included) that are its prefixes.
inline constexpr size_t kMaxCharsMapPrefixMatches = 32;

// Compiles `rules` into a blob identical to the reference's.
// Errors (InvalidArgument, like the reference's checks, with the same text for
// the prefix limit):
//   * `rules` is empty;
//   * a source is empty or a source or target contains a surrogate code point
//     (its UTF-8 would be invalid);
//   * a source contains U+0000 (the reference silently cuts the key at the
//     NUL, or aborts when nothing is left; we refuse instead);
//   * some source has >= kMaxCharsMapPrefixMatches prefix sources: message
//     "This charmaps contain many shared prefix. The number of shared prefix
//     must be less than 32".
// Sources equal after encoding (a code point above U+10FFFF and U+FFFD) keep
// the first one's target in the trie, as the reference does.
absl::StatusOr<std::string> CompileCharsMap(const NormalizationRules& rules);

// Convenience form of CompileCharsMap() for rules given as UTF-8 strings
// (source -> target). Returns InvalidArgument if a string is not valid UTF-8.
absl::StatusOr<std::string> CompileCharsMapFromUtf8(
    const std::map<std::string, std::string>& utf8_rules);

// Recovers the rules from a blob (every key in the trie with the target its
// value points at), as the reference's decompiler does, including its
// decoding of invalid UTF-8 as U+FFFD per byte.
// Errors (DataLoss): the blob is too short or its size header exceeds it
// ("Blob for normalization rule is broken."), a value points outside the
// pool, or the trie is deeper or has more paths than any real rule set
// (a corrupt array can loop).
absl::StatusOr<NormalizationRules> DecompileCharsMap(std::string_view blob);

}  // namespace sentencepiece

#endif  // SPM_SRC_TRAINER_CHARSMAP_COMPILER_H_
