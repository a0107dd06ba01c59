// Input files for comparing normalizers: text built to reach every
// normalization rule, independent of any rule table.
//
//   CodePointLines(): one line per code point U+0001..U+10FFFF, except
//     surrogates (not encodable) and U+000A (the line separator).
//   CombiningSequenceLines(): base characters followed by combining marks,
//     singly, in all ordered pairs, and in pseudo-random triples; Hangul
//     jamo sequences spelled with conjoining, compatibility and halfwidth
//     jamo; kana with (halfwidth) voicing marks. These reach the rules for
//     multi-code-point sources and the cases longest match gets "wrong"
//     (marks out of canonical order).
//
// Both are deterministic and returned as UTF-8 with '\n' after every line.

#ifndef SPM_TESTS_TRAINER_NORMALIZE_INPUTS_H_
#define SPM_TESTS_TRAINER_NORMALIZE_INPUTS_H_

#include <string>
#include <vector>

namespace sentencepiece {
namespace testing {

std::string CodePointLines();
std::string CombiningSequenceLines();

// The lines of `text` as a '\n'-separated file reader sees them (a final
// line without '\n' counts; nothing after a final '\n').
std::vector<std::string> SplitLines(const std::string& text);

// "U+0041 U+0300" for the code points of UTF-8 `s` (bytes that are not
// UTF-8 are shown as \xNN).
std::string DescribeCodePoints(const std::string& s);

}  // namespace testing
}  // namespace sentencepiece

#endif  // SPM_TESTS_TRAINER_NORMALIZE_INPUTS_H_
