// The named normalization rules a NormalizerSpec can ask for
// (`--normalization_rule_name`), compiled into precompiled_charsmap blobs.
//
//   name          rules (rule_builder.h)          Unicode data
//   nmt_nfkc      nfkc + nmt changes              13.0 (as SentencePiece 0.1.97)
//   nfkc          nfkc                            13.0
//   nmt_nfkc_cf   nmt_nfkc + case folding         13.0
//   nfkc_cf       nfkc + case folding             13.0
//   identity      none: the empty blob
//   <name>_unicode15 for the four rule sets above: the same derivation on
//                 Unicode 15.0 data (new names, so that models trained with
//                 the names above stay comparable with the reference's).
//
// The four reference names give blobs byte-identical to the ones embedded in
// SentencePiece 0.1.97 (tests/trainer/builtin_rules_reference_test.cc).
// Their blobs are derived from ICU at build time and embedded
// (gen_builtin_charsmaps.cc); the Unicode 15 blobs are derived when first
// asked for, then kept for the life of the process.
//
// Performance notes: deriving one table takes 0.5-1 s and compiling it
// 0.2 s (Release build, one core): enumerating the 1.1M code points with
// ICU is about 0.6 s of it, the rest is pruning (one pass for nfkc, up to
// three for nmt_nfkc_cf). Every spm_train run asks for one (nmt_nfkc by
// default), which made a small training job 4x slower than the
// reference's, so the reference names are embedded; the Unicode 15 names
// are built lazily, once per name and process.

#ifndef SPM_SRC_TRAINER_BUILTIN_RULES_H_
#define SPM_SRC_TRAINER_BUILTIN_RULES_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "trainer/charsmap_compiler.h"

namespace sentencepiece {

// All names accepted by BuiltinCharsMap(), reference names first.
std::vector<std::string> BuiltinRuleNames();

// The rules called `name`; identity gives no rules.
// Errors: NotFound "No precompiled charsmap is found: <name>" for an unknown
// name (the reference's message); FailedPrecondition if the linked ICU is
// too old for the name's Unicode version; Internal on ICU failures.
absl::StatusOr<NormalizationRules> BuiltinRules(absl::string_view name);

// The compiled blob of BuiltinRules(name) (empty for identity), cached per
// process. Thread-safe. Same errors as BuiltinRules().
absl::StatusOr<std::string> BuiltinCharsMap(absl::string_view name);

// BuiltinCharsMap() derived from ICU now (cached per process like it),
// never the embedded copy: what the build-time generator runs, and what
// tests compare the embedded blobs with.
absl::StatusOr<std::string> DeriveBuiltinCharsMap(absl::string_view name);

}  // namespace sentencepiece

#endif  // SPM_SRC_TRAINER_BUILTIN_RULES_H_
