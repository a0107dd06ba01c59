// A word normalized alone (AppendNormalizedWord(), the encoders' fast path)
// against the same word inside a line.

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "common/utf8.h"
#include "gtest/gtest.h"
#include "normalizer/normalizer.h"
#include "normalizer/prefix_matcher.h"
#include "normalizer_test_util.h"

namespace sentencepiece {
namespace {

// A word normalized on its own (the encoders' fast path) must read exactly
// as the same word inside a line, for every character below U+10000, alone
// and with continuations rules use; and the words it refuses are exactly
// those whose normalization whitespace handling could change at its ends.
TEST(NormalizerTest, WordNormalizedAloneAgreesWithTheLine) {
  const std::unique_ptr<Normalizer> albert = AlbertNormalizer();
  ASSERT_NE(albert, nullptr);
  const Normalizer& n = *albert;
  const std::string ws = "\xE2\x96\x81";
  int accepted = 0;
  int refused = 0;
  for (char32_t cp = 1; cp <= 0xFFFF; ++cp) {
    if (cp == ' ' || (cp >= 0xD800 && cp < 0xE000)) continue;
    std::string ch;
    utf8::Append(cp, &ch);
    for (const std::string& word : {ch, "x" + ch, ch + "\xE3\x82\x99" /* U+3099 */,
                                    ch + "\xCC\x81" /* U+0301 */, ch + ws}) {
      std::string alone;
      const bool ok = n.AppendNormalizedWord(word, &alone);
      const std::string expected = InLine(n, word);
      const bool reachable =
          expected.empty() || expected.substr(std::max(expected.size(), size_t{3}) - 3) == ws;
      ASSERT_EQ(ok, !reachable) << std::hex << cp << " " << word.size();
      if (!ok) {
        ++refused;
        continue;
      }
      ASSERT_EQ(alone, expected) << std::hex << cp;
      if (!n.SpaceIsolated('a', static_cast<unsigned char>(word[0])) ||
          !n.SpaceIsolated(static_cast<unsigned char>(word.back()), 'b')) {
        continue;
      }
      ASSERT_EQ(n.Normalize("a " + word + " b"), ws + "a" + ws + alone + ws + "b")
          << std::hex << cp;
      ++accepted;
    }
  }
  EXPECT_GT(accepted, 250000);
  EXPECT_GT(refused, 1000);
}

// Bytes that start no character normalize to U+FFFD each without the rule
// lookups (Normalizer::malformed_): every byte from 0x80 up, alone, in runs
// and beside ASCII and lead bytes, must read as NormalizePrefix() reads
// them; and a user-defined symbol that starts with such a byte keeps it.
TEST(NormalizerTest, MalformedBytesInAWordReadAsInTheLine) {
  std::unique_ptr<Normalizer> albert = AlbertNormalizer();
  ASSERT_NE(albert, nullptr);
  // The words that read the same alone as in the line.
  auto check = [](const Normalizer& n) {
    int same = 0;
    for (int b = 0x80; b <= 0xFF; ++b) {
      const std::string c(1, static_cast<char>(b));
      for (int b2 : {0x41, 0x80, 0xBF, 0xC3, 0xE3, 0xF0, 0xFE, 0xFF}) {
        const std::string d(1, static_cast<char>(b2));
        for (const std::string& word : {c, "a" + c, c + "a", c + d, c + c + c + d, d + c + "z"}) {
          std::string alone;
          const bool agrees = n.AppendNormalizedWord(word, &alone) && alone == InLine(n, word);
          EXPECT_TRUE(agrees) << std::hex << b << " " << b2;
          same += agrees;
        }
      }
    }
    return same;
  };
  EXPECT_EQ(check(*albert), 128 * 8 * 6);
  // Symbols that are malformed UTF-8, one of them from a lead byte no rule
  // starts with.
  auto m = PrefixMatcher::Create({"\xFF\xFE", "\x80", "\xC5\x41"});
  ASSERT_TRUE(m.ok());
  albert->SetPrefixMatcher(&*m);
  std::string out;
  ASSERT_TRUE(albert->AppendNormalizedWord("a\xFF\xFE\xFF\x80\x81", &out));
  EXPECT_EQ(out, "a\xFF\xFE\xEF\xBF\xBD\x80\xEF\xBF\xBD");
  out.clear();
  ASSERT_TRUE(albert->AppendNormalizedWord("\xC5\xC5\x41\xC5", &out));
  EXPECT_EQ(out, "\xEF\xBF\xBD\xC5\x41\xEF\xBF\xBD");
  EXPECT_EQ(check(*albert), 128 * 8 * 6);
  albert->SetPrefixMatcher(nullptr);
}

// Rules on ASCII control characters (NFKC maps most to a space or to
// nothing): a word reads them as the line does, whether a longer rule
// continues one of them or not. The charsmap is built here: \x01 -> "x"
// with \x01\x02 -> "yz" after it, \x03 -> "" and \x04 -> " " alone.
TEST(NormalizerTest, AsciiControlRulesReadAsInTheLine) {
  const std::unique_ptr<Normalizer> built =
      RulesNormalizer({{"\x01", "x"}, {"\x01\x02", "yz"}, {"\x03", ""}, {"\x04", " "}});
  ASSERT_NE(built, nullptr);
  const Normalizer& n = *built;
  int checked = 0;
  for (const std::string& word :
       {std::string("a\x01\x02" "b"), std::string("\x01\x01\x02\x01"),
        std::string("a\x03" "b\x01"), std::string("\x01" "a\x03\x03\x02"),
        std::string("a\x04" "b")}) {
    std::string alone;
    ASSERT_TRUE(n.AppendNormalizedWord(word, &alone)) << word;
    EXPECT_EQ(alone, InLine(n, word)) << word;
    ++checked;
  }
  std::string out;
  ASSERT_TRUE(n.AppendNormalizedWord("a\x01\x02\x01" "b\x03" "c", &out));
  EXPECT_EQ(out, "ayzxbc");
  EXPECT_EQ(checked, 5);
}

// IsAsciiIdentity() lets the raw-word encoder copy a word instead of
// normalizing it: every word it accepts must be its own normalization, as
// AppendNormalizedWord() gives it, under rules that rewrite an ASCII
// letter ("A", as case folding does), start with one ("ab"), continue one
// with a combining mark, and under ALBERT's rules and symbols; and plain
// lowercase words must be accepted, or the shortcut is never taken.
TEST(NormalizerTest, AsciiIdentityWordsAreTheirOwnNormalization) {
  const std::unique_ptr<Normalizer> ruled = RulesNormalizer(
      {{"A", "a"}, {"ab", "X"}, {"e\xCC\x81", "\xC3\xA9"}, {"\x01", ""}});
  const std::unique_ptr<Normalizer> albert = AlbertNormalizer();
  ASSERT_NE(ruled, nullptr);
  ASSERT_NE(albert, nullptr);
  auto check = [](const Normalizer& n) {
    int accepted = 0;
    for (int a = 1; a < 0x100; ++a) {
      for (int b = 1; b < 0x100; b += 7) {
        for (const std::string& word :
             {std::string(1, static_cast<char>(a)),
              std::string{static_cast<char>(a), static_cast<char>(b)},
              std::string{'x', static_cast<char>(a), static_cast<char>(b), 'y'}}) {
          if (word.find(' ') != std::string::npos || !n.IsAsciiIdentity(word)) continue;
          std::string out;
          EXPECT_TRUE(n.AppendNormalizedWord(word, &out)) << std::hex << a << " " << b;
          EXPECT_EQ(out, word) << std::hex << a << " " << b;
          ++accepted;
        }
      }
    }
    return accepted;
  };
  EXPECT_GT(check(*ruled), 8000);
  EXPECT_GT(check(*albert), 5000);
  EXPECT_TRUE(ruled->IsAsciiIdentity("hello"));
  EXPECT_FALSE(ruled->IsAsciiIdentity("Alpha"));
  EXPECT_FALSE(ruled->IsAsciiIdentity("xAy"));
  EXPECT_FALSE(ruled->IsAsciiIdentity("cab"));
  EXPECT_FALSE(ruled->IsAsciiIdentity("caf\xC3\xA9"));
  EXPECT_TRUE(albert->IsAsciiIdentity("Hello,"));
  EXPECT_FALSE(albert->IsAsciiIdentity("a\tb"));  // TAB becomes a space.
}

// ASCII letters are read from a per-byte table (Normalizer::
// ascii_identity_): itself before ASCII or the word's end, the rules
// before anything else (a letter composes with a combining mark); a
// user-defined symbol of one byte is itself, one that starts with a byte
// but is longer takes the byte out of the table.
TEST(NormalizerTest, AsciiRunsReadAsInTheLine) {
  std::unique_ptr<Normalizer> albert = AlbertNormalizer();
  ASSERT_NE(albert, nullptr);
  auto check = [](const Normalizer& n) {
    int same = 0;
    for (int b = 1; b < 0x80; ++b) {
      if (b == ' ') continue;
      const std::string c(1, static_cast<char>(b));
      for (const std::string& word :
           {c, c + c + "x", "x" + c, c + "\xCC\x81" /* U+0301 */, "ab" + c + "\xCC\xA7" "e",
            c + "\xE3\x82\x99", c + "\xC3\xA9", c + "\xFF" + c, c + "\xEF\xBD\xB1"}) {
        // (A word that ends in a space or vanishes is refused: the line's
        // whitespace handling would reach it.)
        std::string alone;
        if (!n.AppendNormalizedWord(word, &alone)) continue;
        EXPECT_EQ(alone, InLine(n, word)) << std::hex << b << " " << word;
        same += alone == InLine(n, word);
      }
    }
    return same;
  };
  const int plain = check(*albert);
  EXPECT_GT(plain, 95 * 9);
  auto m = PrefixMatcher::Create({"e", "ab", ".", "(", "(\xEF\xBD\xB1" /* U+FF71 */, "-\xEF\xBD\xB1"});
  ASSERT_TRUE(m.ok());
  albert->SetPrefixMatcher(&*m);
  // "e" + U+0301 stays apart when "e" is a symbol; it composes otherwise.
  std::string out;
  ASSERT_TRUE(albert->AppendNormalizedWord("xe\xCC\x81", &out));
  EXPECT_EQ(out, "xe\xCC\x81");
  EXPECT_EQ(check(*albert), plain);
  albert->SetPrefixMatcher(nullptr);
  out.clear();
  ASSERT_TRUE(albert->AppendNormalizedWord("xe\xCC\x81", &out));
  EXPECT_EQ(out, "x\xC3\xA9");
}

// A word whose normalization ends with a space (TAB and U+3000 become
// spaces under nmt_nfkc) swallows the next separator inside a line: with
// `space_end` it is accepted without that `▁`, and joining still gives the
// line's normalization.
TEST(NormalizerTest, WordEndingWithASpaceStandsForTheSeparator) {
  const std::unique_ptr<Normalizer> albert = AlbertNormalizer();
  ASSERT_NE(albert, nullptr);
  const Normalizer& n = *albert;
  const std::string ws = "\xE2\x96\x81";
  for (const std::string word : {"a\t", "ab\xE3\x80\x80", "\ta\t\t", "x\xC2\xA8\t"}) {
    std::string alone;
    bool space_end = false;
    ASSERT_TRUE(n.AppendNormalizedWord(word, &alone, &space_end)) << word;
    EXPECT_TRUE(space_end) << word;
    EXPECT_EQ(n.Normalize("p " + word + " q"), ws + "p" + ws + alone + ws + "q") << word;
    // Without `space_end` the word is refused, as before.
    std::string old;
    EXPECT_FALSE(n.AppendNormalizedWord(word, &old)) << word;
  }
  std::string alone;
  bool space_end = true;
  EXPECT_TRUE(n.AppendNormalizedWord("ab", &alone, &space_end));
  EXPECT_FALSE(space_end);
  // Words that normalize to nothing (spaces only, deleted controls) vanish
  // from the line with their separator.
  for (const std::string word : {"\t", "\t\xE3\x80\x80", "\x7f", "\x01\t"}) {
    alone.clear();
    EXPECT_TRUE(n.AppendNormalizedWord(word, &alone, &space_end)) << word;
    EXPECT_EQ(alone, "") << word;
    EXPECT_EQ(n.Normalize("p " + word + " q"), ws + "p" + ws + "q") << word;
    EXPECT_FALSE(n.AppendNormalizedWord(word, &alone)) << word;
  }
}

}  // namespace
}  // namespace sentencepiece
