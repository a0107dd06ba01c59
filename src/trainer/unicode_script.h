// The Unicode script of a character, as SentencePiece 0.1.97 sees it.
//
// The reference carries a table generated from Unicode 9.0's Scripts.txt,
// with Common as the default. We ask ICU instead and pin the answer to what
// Unicode 9.0 said, so training decisions do not move with the ICU version:
//   * characters assigned after Unicode 9.0, and unassigned ones, are Common;
//   * the four code points whose script changed since 9.0 keep their 9.0
//     script (U+0589 and U+061C Common, U+0953 and U+0954 Devanagari).
// An exhaustive comparison over U+0000..U+10FFFF against the reference table
// finds no other difference (tests/trainer/unicode_script_test.cc checks
// samples of each case).

#ifndef SPM_SRC_TRAINER_UNICODE_SCRIPT_H_
#define SPM_SRC_TRAINER_UNICODE_SCRIPT_H_

namespace sentencepiece {
namespace unicode_script {

// Script codes are ICU's UScriptCode values.
inline constexpr int kCommon = 0;     // USCRIPT_COMMON
inline constexpr int kInherited = 1;  // USCRIPT_INHERITED
inline constexpr int kHan = 17;       // USCRIPT_HAN
inline constexpr int kHiragana = 20;  // USCRIPT_HIRAGANA
inline constexpr int kKatakana = 22;  // USCRIPT_KATAKANA

// The Unicode 9.0 script of `c` (kCommon for anything invalid). Thread-safe.
int GetScript(char32_t c);

}  // namespace unicode_script
}  // namespace sentencepiece

#endif  // SPM_SRC_TRAINER_UNICODE_SCRIPT_H_
