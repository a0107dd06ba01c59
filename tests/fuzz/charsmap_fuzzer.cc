// Fuzzes the normalization-rule side: rule TSV files through the parser and
// the charsmap compiler, and arbitrary bytes as a precompiled_charsmap blob
// (what a corrupt or hostile model carries) through the decompiler and the
// normalizer.
//
// Input: [mode][payload...]
//   mode bit 0 = 0: the payload is a rule TSV. If it parses and compiles,
//     the blob must load in the normalizer and decompile back to the same
//     rules (for rules without the code points the format cannot round-trip:
//     U+0000, surrogates, above U+10FFFF), and normalizing the sources, and
//     the TSV text itself, must keep the normalizer's invariants, and each
//     separator (Normalizer::IsSeparator()) normalize as a space would.
//   mode bit 0 = 1: the payload is a blob. Loading it in the normalizer and
//     decompiling it either fail with an error or succeed; if the normalizer
//     loads, normalizing text must not crash or read out of bounds, and its
//     separators must normalize as spaces. Blobs
//     are cut to 512 KB, TSVs to 64 KB.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "common/utf8.h"
#include "fuzz_util.h"
#include "normalizer/normalizer.h"
#include "trainer/charsmap_compiler.h"
#include "trainer/charsmap_tsv.h"

namespace sentencepiece {
namespace fuzz {
namespace {

const std::string_view kTexts[] = {
    "Hello World",
    "  two  spaces ",
    "\xEF\xBC\xA1\xEF\xBC\xA2 full width",
    "\xE2\x85\xA0\xE3\x8D\xBF",
    "bad \xFF\xC3 bytes",
    std::string_view("a\0b", 3),
    "\xE2\x96\x81x",
};

void CheckNormalizer(const Normalizer& n, std::string_view text) {
  std::string normalized;
  std::vector<size_t> n2o;
  n.Normalize(text, &normalized, &n2o);
  if (!normalized.empty()) FUZZ_CHECK(n2o.size() == normalized.size() + 1, "alignment size");
  for (size_t i = 0; i < n2o.size(); ++i) {
    FUZZ_CHECK(n2o[i] <= text.size(), "alignment past the input");
    if (i > 0) FUZZ_CHECK(n2o[i] >= n2o[i - 1], "alignment decreases");
  }
}

// Normalizer::IsSeparator(): a separator normalizes as a space in its
// place, between any two strings (here: pieces of the input and of
// `more`), the encoders' fast path splitting words at it on that promise.
void CheckSeparators(const Normalizer& n, std::string_view text, std::string_view more) {
  if (!n.HasOtherSeparators()) return;
  const std::string_view contexts[] = {"", "a", text.substr(0, 6), text.substr(text.size() / 2, 5),
                                       more.substr(0, 4), more.substr(more.size() / 3, 7)};
  for (int b = 1; b < 0x20; ++b) {
    const auto c = static_cast<char>(b);
    if (!n.IsSeparator(static_cast<unsigned char>(c))) continue;
    for (std::string_view x : contexts) {
      for (std::string_view y : contexts) {
        const std::string with_byte = std::string(x) + c + std::string(y);
        const std::string with_space = std::string(x) + ' ' + std::string(y);
        FUZZ_CHECK(n.Normalize(with_byte) == n.Normalize(with_space),
                   "a separator normalizes unlike a space");
      }
    }
  }
}

bool RoundTrips(const NormalizationRules& rules) {
  auto ok = [](const std::u32string& s) {
    for (char32_t c : s) {
      if (c == 0 || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF) || c == 0xFFFD) return false;
    }
    return true;
  };
  for (const auto& [src, trg] : rules) {
    if (!ok(src) || !ok(trg)) return false;
  }
  return true;
}

std::string ToUtf8(const std::u32string& s) {
  std::string out;
  for (char32_t c : s) utf8::Append(c, &out);
  return out;
}

void FuzzTsv(std::string_view tsv) {
  auto rules = ParseNormalizationRulesTsv(tsv);
  if (!rules.ok()) return;
  auto blob = CompileCharsMap(*rules);
  if (!blob.ok()) return;
  NormalizerSpec spec;
  spec.set_precompiled_charsmap(*blob);
  auto n = Normalizer::Create(spec, false);
  FUZZ_CHECK(n.ok(), "a compiled charsmap does not load: " + n.status().ToString());
  auto back = DecompileCharsMap(*blob);
  FUZZ_CHECK(back.ok(), "a compiled charsmap does not decompile: " + back.status().ToString());
  if (RoundTrips(*rules)) FUZZ_CHECK(*back == *rules, "decompiled rules differ");
  std::string sources;
  for (const auto& rule : *rules) sources += ToUtf8(rule.first) + " ";
  CheckNormalizer(**n, sources);
  CheckNormalizer(**n, tsv);
  CheckSeparators(**n, sources, tsv);
  // The formatted rules parse back to the same rules.
  if (RoundTrips(*rules)) {
    auto reparsed = ParseNormalizationRulesTsv(FormatNormalizationRulesTsv(*rules));
    FUZZ_CHECK(reparsed.ok() && *reparsed == *rules, "formatted rules do not parse back");
  }
}

void FuzzBlob(std::string_view blob) {
  NormalizerSpec spec;
  spec.set_precompiled_charsmap(std::string(blob));
  auto n = Normalizer::Create(spec, false);
  if (n.ok()) {
    for (std::string_view t : kTexts) CheckNormalizer(**n, t);
    CheckNormalizer(**n, blob.substr(0, 256));
    CheckSeparators(**n, kTexts[0], blob.substr(blob.size() / 2, 64));
  }
  DecompileCharsMap(blob).status().IgnoreError();
}

int FuzzCharsmap(FuzzInput& in) {
  const uint8_t mode = in.Byte();
  const std::string_view payload = in.Take(mode & 1 ? 512 << 10 : 64 << 10);
  SetContext(mode & 1 ? "charsmap blob" : "rule tsv", payload);
  if (mode & 1) {
    FuzzBlob(payload);
  } else {
    FuzzTsv(payload);
  }
  return 0;
}

}  // namespace
}  // namespace fuzz
}  // namespace sentencepiece

SPM_FUZZ_TARGET(FuzzCharsmap)
