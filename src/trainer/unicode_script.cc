#include "trainer/unicode_script.h"

#include <unicode/uchar.h>
#include <unicode/uscript.h>

#include <array>
#include <cstdint>
#include <memory>

namespace sentencepiece {
namespace unicode_script {
namespace {

static_assert(kCommon == USCRIPT_COMMON && kInherited == USCRIPT_INHERITED &&
              kHan == USCRIPT_HAN && kHiragana == USCRIPT_HIRAGANA &&
              kKatakana == USCRIPT_KATAKANA);

int ComputeScript(char32_t c) {
  switch (c) {  // Changed after Unicode 9.0; keep the 9.0 value.
    case 0x0589:
    case 0x061C:
      return USCRIPT_COMMON;
    case 0x0953:
    case 0x0954:
      return USCRIPT_DEVANAGARI;
    default:
      break;
  }
  UVersionInfo age;
  u_charAge(static_cast<UChar32>(c), age);
  if (age[0] > 9) return USCRIPT_COMMON;  // Assigned after Unicode 9.0.
  UErrorCode err = U_ZERO_ERROR;
  const UScriptCode s = uscript_getScript(static_cast<UChar32>(c), &err);
  if (U_FAILURE(err) || s == USCRIPT_UNKNOWN || s == USCRIPT_INVALID_CODE) {
    return USCRIPT_COMMON;
  }
  return s;
}

// The Basic Multilingual Plane, precomputed (scripts fit in a byte).
struct BmpTable {
  BmpTable() {
    for (char32_t c = 0; c < table.size(); ++c) table[c] = static_cast<uint8_t>(ComputeScript(c));
  }
  std::array<uint8_t, 0x10000> table;
};

}  // namespace

int GetScript(char32_t c) {
  static const auto* const bmp = new BmpTable();
  if (c < 0x10000) return bmp->table[c];
  if (c > 0x10FFFF) return USCRIPT_COMMON;
  return ComputeScript(c);
}

}  // namespace unicode_script
}  // namespace sentencepiece
