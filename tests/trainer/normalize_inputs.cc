// See normalize_inputs.h.

#include "normalize_inputs.h"

#include <cstdint>
#include <cstdio>
#include <random>

#include "trainer/charsmap_utf8.h"

namespace sentencepiece {
namespace testing {
namespace {

// Base characters: Latin, Greek, Cyrillic, Indic and other scripts whose
// letters compose with marks, compatibility variants of them, a digit, a
// space and a mark (so a line may start with a mark).
constexpr char32_t kBases[] = {
    U'a', U'A', U'e', U'E', U'i', U'o', U'O', U'u', U'U', U'n', U'c', U'C', U's', U'z',
    U'd', U'D', U'g', U'h', U'w', U'y', U'r', U'k', U'l', U't', U'G', U'K', U'1', U' ',
    0x00E9, 0x00C5, 0x0131, 0x017F, 0x01B0, 0x1E0B, 0xFF41, 0xFF25, 0x2170, 0x210C, 0x1D400,
    0x03B1, 0x03B5, 0x03B7, 0x03B9, 0x03BF, 0x03C5, 0x03C9, 0x0391, 0x03A9, 0x03C1, 0x03D2,
    0x0438, 0x0435, 0x0443, 0x0418, 0x044E, 0x0437, 0x044D, 0x0406, 0x04D8, 0x04E8,
    0x05D0, 0x05E9, 0x0627, 0x0648, 0x064A, 0x06D5, 0x0915, 0x0921, 0x09A1, 0x09C7, 0x0B21,
    0x0B47, 0x0B92, 0x0BC6, 0x0C46, 0x0CBF, 0x0CC6, 0x0D46, 0x0DD9, 0x1025, 0x1B05, 0x0F40,
    0x304B, 0x30AB, 0xFF76, 0x306F, 0x30CF, 0xFF8A, 0x3046, 0x30A6, 0x309D, 0x30FD, 0x2260,
    0x0301,
};

// Combining marks, including ones with canonical decompositions, ones that
// compose with the bases above, and non-combining voicing marks.
constexpr char32_t kMarks[] = {
    0x0300, 0x0301, 0x0302, 0x0303, 0x0304, 0x0306, 0x0307, 0x0308, 0x0309, 0x030A, 0x030B,
    0x030C, 0x030F, 0x0311, 0x0313, 0x0314, 0x031B, 0x0323, 0x0324, 0x0325, 0x0326, 0x0327,
    0x0328, 0x032D, 0x032E, 0x0330, 0x0331, 0x0338, 0x0340, 0x0341, 0x0342, 0x0343, 0x0344,
    0x0345, 0x05B7, 0x05BC, 0x0653, 0x0654, 0x0655, 0x093C, 0x09BE, 0x09D7, 0x0B3E, 0x0B56,
    0x0B57, 0x0BBE, 0x0BD7, 0x0C56, 0x0CC2, 0x0CD5, 0x0CD6, 0x0D3E, 0x0D57, 0x0DCA, 0x0DCF,
    0x0DDF, 0x102E, 0x1B35, 0x0F71, 0x0F72, 0x0F80, 0x20D2, 0x3099, 0x309A, 0x309B, 0x309C,
    0xFF9E, 0xFF9F,
};

// The marks used for all ordered pairs (the most frequent ones).
constexpr int kPairMarks = 36;

void AppendLine(const std::u32string& cps, std::string* out) {
  *out += internal::EncodeCodepoints(cps);
  *out += '\n';
}

// Hangul jamo in three spellings: conjoining, compatibility, halfwidth.
struct JamoRange {
  char32_t first;
  char32_t last;
};
constexpr JamoRange kLeading[] = {{0x1100, 0x1112}, {0x3131, 0x314E}, {0xFFA1, 0xFFBE}};
constexpr JamoRange kVowels[] = {{0x1161, 0x1175}, {0x314F, 0x3163}, {0xFFC2, 0xFFDC}};
constexpr JamoRange kTrailing[] = {{0x11A8, 0x11C2}, {0x3131, 0x314E}, {0xFFA1, 0xFFBE}};

template <size_t N>
char32_t PickJamo(const JamoRange (&ranges)[N], std::mt19937* rng) {
  const JamoRange& range = ranges[(*rng)() % N];
  return range.first + (*rng)() % (range.last - range.first + 1);
}

}  // namespace

std::string CodePointLines() {
  std::string out;
  for (char32_t cp = 1; cp <= 0x10FFFF; ++cp) {
    if (cp == U'\n' || (cp >= 0xD800 && cp <= 0xDFFF)) continue;
    AppendLine(std::u32string(1, cp), &out);
  }
  return out;
}

std::string CombiningSequenceLines() {
  std::string out;
  for (const char32_t base : kBases) {
    for (const char32_t mark : kMarks) AppendLine(std::u32string{base, mark}, &out);
    for (int i = 0; i < kPairMarks; ++i) {
      for (int j = 0; j < kPairMarks; ++j) {
        AppendLine(std::u32string{base, kMarks[i], kMarks[j]}, &out);
      }
    }
  }
  std::mt19937 rng(20221231);
  constexpr size_t kNumBases = sizeof(kBases) / sizeof(kBases[0]);
  constexpr size_t kNumMarks = sizeof(kMarks) / sizeof(kMarks[0]);
  for (int i = 0; i < 30000; ++i) {
    std::u32string line(1, kBases[rng() % kNumBases]);
    for (int k = 0; k < 3; ++k) line += kMarks[rng() % kNumMarks];
    AppendLine(line, &out);
  }
  for (int i = 0; i < 20000; ++i) {
    std::u32string line = {PickJamo(kLeading, &rng), PickJamo(kVowels, &rng)};
    if (rng() % 3 != 0) line += PickJamo(kTrailing, &rng);
    AppendLine(line, &out);
  }
  return out;
}

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

std::string DescribeCodePoints(const std::string& s) {
  std::string out;
  size_t pos = 0;
  while (pos < s.size()) {
    size_t length = 0;
    const char32_t cp = internal::DecodeOneCodepoint(std::string_view(s).substr(pos), &length);
    char buf[16];
    if (cp == internal::kReplacementChar && length == 1) {
      std::snprintf(buf, sizeof(buf), "\\x%02X", static_cast<unsigned>(uint8_t(s[pos])));
    } else {
      std::snprintf(buf, sizeof(buf), "U+%04X", static_cast<unsigned>(cp));
    }
    if (!out.empty()) out += ' ';
    out += buf;
    pos += length;
  }
  return out.empty() ? "(empty)" : out;
}

}  // namespace testing
}  // namespace sentencepiece
