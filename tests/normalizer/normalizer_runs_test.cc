// The per-character table and runs of three-byte characters, against
// rule-by-rule normalization (NormalizePrefix()) and the line.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/double_array.h"
#include "common/model_io.h"
#include "common/utf8.h"
#include "gtest/gtest.h"
#include "normalizer/normalizer.h"
#include "normalizer/prefix_matcher.h"
#include "normalizer_test_util.h"

namespace sentencepiece {
namespace {

// `s` normalized rule by rule, as NormalizePrefix() defines it.
std::string RuleByRule(const Normalizer& n, std::string_view s) {
  std::string out;
  while (!s.empty()) {
    const auto [chunk, len] = n.NormalizePrefix(s);
    out.append(chunk.data(), chunk.size());
    s.remove_prefix(len);
  }
  return out;
}

// The shortcut for three-byte characters no rule starts with must agree with
// rule-by-rule normalization for every such character, alone and before a
// combining mark (rules may span two characters).
TEST(NormalizerTest, PlainCharacterShortcutAgreesWithTheRules) {
  const std::unique_ptr<Normalizer> albert = AlbertNormalizer();
  ASSERT_NE(albert, nullptr);
  const Normalizer& n = *albert;
  const std::string ws = "\xE2\x96\x81";
  int checked = 0;
  for (char32_t cp = 0x800; cp <= 0xFFFF; ++cp) {
    if (cp >= 0xD800 && cp < 0xE000) continue;
    std::string ch;
    utf8::Append(cp, &ch);
    for (const std::string& text : {ch, ch + "\xE3\x82\x99" /* U+3099 */, ch + "a"}) {
      const std::string expected = RuleByRule(n, text);
      EXPECT_EQ(n.NormalizesToItself(text), expected == text) << std::hex << cp;
      if (expected.find(' ') != std::string::npos || expected.empty()) continue;
      ASSERT_EQ(n.Normalize(text), ws + expected) << std::hex << cp;
      ++checked;
    }
  }
  EXPECT_GT(checked, 100000);
}

// The per-character table (normalizer_tables.cc: characters that rules start
// with, filled in on first sight) must answer exactly as a plain walk of the
// rule trie: every character below U+10000, alone and followed by
// continuations that rules use (voicing marks, combining accents, halfwidth
// marks) or not, and with the table cold and warm.
TEST(NormalizerTest, CharacterTableAgreesWithTrieLookups) {
  auto proto = ReadModelProto(std::string(SPM_TESTDATA_DIR) + "/models/albert_spiece.model");
  ASSERT_TRUE(proto.ok());
  const NormalizerSpec& spec = (*proto)->normalizer_spec();
  auto created = Normalizer::Create(spec, false);
  ASSERT_TRUE(created.ok());
  const Normalizer& n = **created;
  // The reference's lookup, straight from the blob.
  const std::string& blob = spec.precompiled_charsmap();
  const auto* p = reinterpret_cast<const unsigned char*>(blob.data());
  const uint32_t trie_size = p[0] | p[1] << 8 | p[2] << 16 | uint32_t{p[3]} << 24;
  const DoubleArray trie = DoubleArray::FromBytes(std::string_view(blob).substr(4, trie_size));
  const std::string pool = blob.substr(4 + trie_size);
  auto reference = [&](std::string_view s) -> std::pair<std::string, size_t> {
    size_t longest = 0;
    int value = 0;
    int matches = 0;
    trie.CommonPrefixSearch(s, [&](size_t len, int v) {
      longest = len;
      value = v;
      return ++matches < 32;
    });
    if (longest > 0) return {std::string(pool.c_str() + value), longest};
    size_t len = 0;
    if (!utf8::DecodeValid(s, &len)) return {std::string(utf8::kReplacementCharUtf8), 1};
    return {std::string(s.substr(0, len)), len};
  };
  const std::string ws = "\xE2\x96\x81";
  int checked = 0;
  for (int round = 0; round < 2; ++round) {
    for (char32_t cp = 1; cp <= 0xFFFF; ++cp) {
      if (cp >= 0xD800 && cp < 0xE000) continue;
      std::string ch;
      utf8::Append(cp, &ch);
      for (const std::string& text :
           {ch, ch + "\xE3\x82\x99" /* U+3099 */, ch + "\xE3\x82\x9A", ch + "\xCC\x81" /* U+0301 */,
            ch + "\xEF\xBE\x9E" /* U+FF9E */, ch + "a", ch + "\xE3\x81\x8B" /* か */}) {
        const auto [chunk, len] = n.NormalizePrefix(text);
        const auto [expected_chunk, expected_len] = reference(text);
        ASSERT_EQ(std::string(chunk), expected_chunk) << std::hex << cp << " " << text.size();
        ASSERT_EQ(len, expected_len) << std::hex << cp;
        // The whole text, rule by rule.
        std::string expected;
        bool has_space = false;
        bool itself = true;  // Chunk by chunk.
        for (std::string_view rest = text; !rest.empty();) {
          const auto [c, l] = reference(rest);
          has_space |= c.find(' ') != std::string::npos;
          itself &= c == rest.substr(0, l);
          expected += c;
          rest.remove_prefix(l);
        }
        if (cp == ' ') continue;
        ASSERT_EQ(n.NormalizesToItself(text), itself) << std::hex << cp;
        if (has_space || expected.empty()) continue;
        ASSERT_EQ(n.Normalize(text), ws + expected) << std::hex << cp;
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 300000);
}

// Runs of three-byte characters are taken in one loop after the first
// (Normalizer::ThreeByteIdentityEnd()): every character below U+10000
// inside such a run, before characters that longer rules continue with
// (voicing marks) or not, twice in a row, and at the end, must normalize
// as rule by rule, in a line (with and without alignment) and as a word;
// with the table cold and warm.
TEST(NormalizerTest, ThreeByteRunsReadRuleByRule) {
  const std::unique_ptr<Normalizer> albert = AlbertNormalizer();
  ASSERT_NE(albert, nullptr);
  const Normalizer& n = *albert;
  const std::string ws = "\xE2\x96\x81";
  const std::string kanji = "\xE4\xB8\x80";  // 一, which no rule starts with.
  int checked = 0;
  for (int round = 0; round < 2; ++round) {
    for (char32_t cp = 0x800; cp <= 0xFFFF; ++cp) {
      if (cp >= 0xD800 && cp < 0xE000) continue;
      std::string ch;
      utf8::Append(cp, &ch);
      for (const std::string& next :
           {std::string(), std::string("\xE3\x82\x99") /* U+3099 */, std::string("\xE3\x82\x9A"),
            std::string("\xEF\xBE\x9E") /* U+FF9E */, std::string("\xE3\x81\x8B") /* か */,
            std::string("a"), kanji, std::string("\xE3\x82"), ch}) {
        for (const std::string& text : {kanji + ch + next, kanji + kanji + ch + ch + next}) {
          const std::string expected = RuleByRule(n, text);
          if (expected.find(' ') != std::string::npos || expected.empty()) continue;
          ASSERT_EQ(n.Normalize(text), ws + expected) << std::hex << cp << " " << next.size();
          std::string normalized;
          std::vector<size_t> alignment;
          n.Normalize(text, &normalized, &alignment);
          ASSERT_EQ(normalized, ws + expected) << std::hex << cp;
          ASSERT_EQ(alignment.size(), normalized.size() + 1);
          std::string word;
          if (n.AppendNormalizedWord(text, &word)) {
            ASSERT_EQ(word, expected) << std::hex << cp;
          }
          ++checked;
        }
      }
    }
  }
  EXPECT_GT(checked, 1000000);
}

// Runs of three-byte characters take characters with table entries (kana)
// from a bitmap once seen (Normalizer::ThreeByteIdentityEnd()). A character
// that a longer rule continues with must leave it when that rule is first
// read, whether it was taken before (X, a kana-like character with longer
// rules of its own) or is one no rule starts with (P): each must then
// read as the rule after Y, which is itself in the bitmap by then. The
// charsmap is built here: X and Y start rules continuing with two lead
// bytes (table entries with followers), P starts none.
TEST(NormalizerTest, FollowersLeaveTheRunBitmap) {
  const std::string kanji = "\xE4\xB8\x80";  // 一: a lead byte no rule starts with.
  const std::string x = "\xE3\x81\x8B";      // か
  const std::string y = "\xE3\x81\x8D";      // き
  const std::string p = "\xE3\x81\x8F";      // く: no rule starts with it.
  const std::string z1 = "\xE3\x82\x99";     // U+3099
  const std::string z2 = "\xEF\xBE\x9E";     // U+FF9E
  const std::unique_ptr<Normalizer> n =
      RulesNormalizer({{x + z1, "a"}, {x + z2, "b"}, {y + x, "c"}, {y + p, "d"}, {y + z2, "e"}});
  ASSERT_NE(n, nullptr);
  const std::string ws = "\xE2\x96\x81";
  auto check = [&](const std::string& text) {
    const std::string expected = RuleByRule(*n, text);
    EXPECT_EQ(n->Normalize(text), ws + expected) << text;
    std::string word;
    ASSERT_TRUE(n->AppendNormalizedWord(text, &word)) << text;
    EXPECT_EQ(word, expected) << text;
  };
  // X and P seen (and in the bitmap) before Y's rules are read.
  for (int i = 0; i < 3; ++i) check(kanji + x + x + p + p + x + kanji);
  // Y's rules read, Y seen again; then Y before X and before P.
  for (int i = 0; i < 3; ++i) check(kanji + y + y + y + kanji);
  for (const std::string& after : {x, p}) {
    const std::string text = kanji + y + after + kanji;
    check(text);
    EXPECT_EQ(RuleByRule(*n, text), kanji + (after == x ? "c" : "d") + kanji);
  }
  check(kanji + x + x + z1 + kanji);
  check(kanji + y + y + z2 + x + z2 + kanji);
}

// Three-byte characters in a word read as in the line, under NFKC rules
// (the plain-character bitmap and the character table) and under none
// (plain lead bytes): each one, its malformed neighbours and cut off
// ones, alone and between ASCII.
TEST(NormalizerTest, ThreeByteCharactersReadAsInTheLine) {
  std::unique_ptr<Normalizer> albert = AlbertNormalizer();
  ASSERT_NE(albert, nullptr);
  std::unique_ptr<Normalizer> identity = Identity(true, true, true, false);
  identity->SetPrefixMatcher(nullptr);  // (Computes the tables, as a model's load does.)
  for (const Normalizer* n : {albert.get(), identity.get()}) {
    int same = 0;
    for (int lead = 0xE0; lead <= 0xEF; ++lead) {
      for (int b1 = 0x7F; b1 <= 0xC0; ++b1) {
        for (int b2 : {0x7F, 0x80, 0x81, 0x9F, 0xA0, 0xBE, 0xBF, 0xC0}) {
          const std::string c = {static_cast<char>(lead), static_cast<char>(b1),
                                 static_cast<char>(b2)};
          for (const std::string& word : {c, "x" + c + "y", c + c, c.substr(0, 2), "x" + c.substr(0, 2)}) {
            std::string alone;
            if (!n->AppendNormalizedWord(word, &alone)) continue;
            ASSERT_EQ(alone, InLine(*n, word)) << std::hex << lead << " " << b1 << " " << b2;
            ++same;
          }
        }
      }
    }
    EXPECT_GT(same, 16 * 66 * 8 * 4);
  }
}

// Every character of a lead byte that no rule starts with is itself
// (the three-byte bitmap holds them all), until a user-defined symbol
// starts with one: "一ｱ" as a symbol keeps its half-width katakana, which
// NFKC widens anywhere else.
TEST(NormalizerTest, SymbolOnAPlainLeadByteKeepsItsText) {
  std::unique_ptr<Normalizer> albert = AlbertNormalizer();
  ASSERT_NE(albert, nullptr);
  const std::string word = "\xE4\xB8\x80\xEF\xBD\xB1\xE4\xB8\x81";  // 一ｱ丁
  auto alone = [&albert](const std::string& w) {
    std::string out;
    EXPECT_TRUE(albert->AppendNormalizedWord(w, &out));
    return out;
  };
  const std::string widened = alone(word);
  EXPECT_EQ(widened, InLine(*albert, word));
  EXPECT_NE(widened, word);
  auto m = PrefixMatcher::Create({"\xE4\xB8\x80\xEF\xBD\xB1"});
  ASSERT_TRUE(m.ok());
  albert->SetPrefixMatcher(&*m);
  EXPECT_EQ(alone(word), word);
  EXPECT_EQ(InLine(*albert, word), word);
  albert->SetPrefixMatcher(nullptr);
  EXPECT_EQ(alone(word), widened);
}

}  // namespace
}  // namespace sentencepiece
