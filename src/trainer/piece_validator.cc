#include "trainer/piece_validator.h"

#include <algorithm>

#include "common/utf8.h"
#include "trainer/unicode_script.h"

namespace sentencepiece {
namespace {

constexpr char32_t kSpaceSymbol = 0x2581;  // ▁
constexpr char32_t kUnknownMark = 0x2585;  // ▅
constexpr int kAnyScript = -1;

bool IsDecimalDigit(char32_t c) {
  return (c >= U'0' && c <= U'9') || (c >= 0xFF10 && c <= 0xFF19);
}

}  // namespace

PieceValidator::PieceValidator(const TrainerSpec& spec)
    : max_length_(spec.max_sentencepiece_length()),
      split_by_unicode_script_(spec.split_by_unicode_script()),
      split_by_number_(spec.split_by_number()),
      split_by_whitespace_(spec.split_by_whitespace()),
      split_digits_(spec.split_digits()),
      treat_whitespace_as_suffix_(spec.treat_whitespace_as_suffix()),
      allow_whitespace_only_pieces_(spec.allow_whitespace_only_pieces()) {}

bool PieceValidator::IsValid(std::u32string_view piece) const {
  const size_t n = piece.size();
  if (n == 0 || n > static_cast<size_t>(std::max(max_length_, 0))) return false;
  const bool whitespace_only =
      std::all_of(piece.begin(), piece.end(), [](char32_t c) { return c == kSpaceSymbol; });
  const bool check_whitespace = !(allow_whitespace_only_pieces_ && whitespace_only);

  int prev_script = kAnyScript;
  for (size_t pos = 0; pos < n; ++pos) {
    const char32_t c = piece[pos];
    if (c == kUnknownMark || c == 0 || c == U'\t' || c == U' ' || !utf8::IsValidCodepoint(c)) {
      return false;
    }
    if (c == kSpaceSymbol) {
      if (!check_whitespace) continue;
      const bool last = pos + 1 == n;
      if (treat_whitespace_as_suffix_) {
        if (split_by_whitespace_ ? !last : (!last && pos == 0)) return false;
      } else {
        if (split_by_whitespace_ ? pos > 0 : (pos > 0 && last)) return false;
      }
      continue;
    }
    int script = unicode_script::GetScript(c);
    if (script == unicode_script::kHiragana || script == unicode_script::kKatakana ||
        c == 0x30FC) {
      script = unicode_script::kHan;
    } else if (script == unicode_script::kInherited) {
      script = prev_script;
    }
    if (IsDecimalDigit(c)) {
      if (!split_by_number_) script = kAnyScript;
      if (split_digits_ && n > 1) return false;
    }
    if (split_by_unicode_script_ && script != kAnyScript && prev_script != kAnyScript &&
        script != prev_script) {
      return false;
    }
    prev_script = script;
  }
  return true;
}

}  // namespace sentencepiece
