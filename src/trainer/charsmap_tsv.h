// Normalization rule files (TSV), as read by `spm_train
// --normalization_rule_tsv` / `--denormalization_rule_tsv` and written by
// `spm_normalize --decompile` in SentencePiece 0.1.97.
//
// Reading. One rule per line ('\n'-separated; a '\r' before it stays in the
// line). Fields are separated by TAB:
//   field 1: source code points, hex, separated by spaces, each optionally
//            prefixed with "U+" (e.g. "FF21", "U+0041 U+0300", "41  300");
//   field 2: target code points in the same form; a missing or empty field
//            means "delete the source";
//   further fields are ignored (the decompiler puts a "# src => trg" comment
//   there). There is no comment-line syntax and no blank-line skipping.
// A later line with the same source replaces the earlier one. The hex
// numbers are read like the reference reads them (stream extraction from the
// start of the number to the end of the field, so "U+ 41" reads 41 twice and
// "41zz" reads 41). Lines the reference turns into real code points give
// the same rules here; numbers it reads as 0 ("zz"), as an uninitialized
// value ("U+" ending a field), through a sign ("-41", "+41") or with overflow
// are errors here.
//
// Writing (FormatNormalizationRulesTsv), one line per rule in rule order:
//   SRC<TAB>TRG<TAB># <src as UTF-8> => <trg as UTF-8>
// with code points as uppercase hex without padding or "U+" ("41 300"),
// empty TRG for deletions, and \b \v \f \n \r in the line replaced by spaces
// (a TAB in the comment stays).

#ifndef SPM_SRC_TRAINER_CHARSMAP_TSV_H_
#define SPM_SRC_TRAINER_CHARSMAP_TSV_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "trainer/charsmap_compiler.h"

namespace sentencepiece {

// Parses rule-file `contents`; `file_name` only labels error messages.
// Errors (InvalidArgument, with the line number):
//   * an empty line (the reference aborts on it);
//   * an empty source field ("source field is empty", as the reference's
//     `!src.empty()` check);
//   * a code point whose number is missing, does not start with a hex digit
//     or does not fit in 32 bits.
absl::StatusOr<NormalizationRules> ParseNormalizationRulesTsv(
    std::string_view contents, std::string_view file_name = "<rules>");

// Reads and parses the rule file at `path`. NotFound if it cannot be opened.
absl::StatusOr<NormalizationRules> LoadNormalizationRulesTsv(
    const std::string& path);

// Writes `rules` in the `spm_normalize --decompile` format (above); every line
// ends with '\n'.
std::string FormatNormalizationRulesTsv(const NormalizationRules& rules);

}  // namespace sentencepiece

#endif  // SPM_SRC_TRAINER_CHARSMAP_TSV_H_
