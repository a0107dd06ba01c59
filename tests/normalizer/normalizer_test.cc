#include "normalizer/normalizer.h"

#include <memory>
#include <string>
#include <vector>

#include "common/double_array.h"
#include "common/double_array_builder.h"
#include "common/model_io.h"
#include "common/utf8.h"
#include "gtest/gtest.h"

namespace sentencepiece {
namespace {

// Identity rules (no charsmap): only the whitespace handling applies.
std::unique_ptr<Normalizer> Identity(bool dummy, bool remove_ws, bool escape, bool suffix) {
  NormalizerSpec spec;
  spec.set_add_dummy_prefix(dummy);
  spec.set_remove_extra_whitespaces(remove_ws);
  spec.set_escape_whitespaces(escape);
  return *Normalizer::Create(spec, suffix);
}

// The normalizer of the bundled ALBERT model (nmt_nfkc rules); null, with
// a failure recorded, if it does not load.
std::unique_ptr<Normalizer> AlbertNormalizer() {
  auto proto = ReadModelProto(std::string(SPM_TESTDATA_DIR) + "/models/albert_spiece.model");
  EXPECT_TRUE(proto.ok()) << proto.status();
  if (!proto.ok()) return nullptr;
  auto created = Normalizer::Create((*proto)->normalizer_spec(), false);
  EXPECT_TRUE(created.ok()) << created.status();
  return created.ok() ? *std::move(created) : nullptr;
}

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

TEST(NormalizerTest, WhitespaceHandling) {
  const std::string ws = "\xE2\x96\x81";
  auto n = Identity(true, true, true, false);
  EXPECT_EQ(n->Normalize("  hello   world  "), ws + "hello" + ws + "world");
  EXPECT_EQ(n->Normalize("    "), "");
  EXPECT_EQ(n->Normalize(""), "");
  EXPECT_EQ(Identity(false, true, true, false)->Normalize(" a  b "), "a" + ws + "b");
  EXPECT_EQ(Identity(true, false, true, false)->Normalize(" a  b "),
            ws + ws + "a" + ws + ws + "b" + ws);
  EXPECT_EQ(Identity(true, true, false, false)->Normalize(" a  b "), " a b");
  EXPECT_EQ(Identity(true, true, true, true)->Normalize(" a  b "), "a" + ws + "b" + ws);
}

TEST(NormalizerTest, AlignmentMapsEveryByteToItsSource) {
  auto n = Identity(true, true, true, false);
  std::string out;
  std::vector<size_t> n2o;
  n->Normalize("  ab  c ", &out, &n2o);
  ASSERT_EQ(n2o.size(), out.size() + 1);
  // Dummy prefix maps to the first kept byte; "ab" to 2,3; the space run
  // to its first byte; "c" to 6; the end to the end of "c".
  EXPECT_EQ(n2o, (std::vector<size_t>{2, 2, 2, 2, 3, 4, 4, 4, 6, 7}));
}

TEST(NormalizerTest, MalformedUtf8BecomesReplacementCharacterPerByte) {
  auto n = Identity(false, false, false, false);
  EXPECT_EQ(n->Normalize("a\x80\xFF" "b"), "a\xEF\xBF\xBD\xEF\xBF\xBD" "b");
  std::string out;
  std::vector<size_t> n2o;
  n->Normalize("\xE2\x96", &out, &n2o);  // A truncated character.
  EXPECT_EQ(out, "\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(n2o, (std::vector<size_t>{0, 0, 0, 1, 1, 1, 2}));
}

TEST(NormalizerTest, CharsmapRulesFromARealModel) {
  auto proto = ReadModelProto(std::string(SPM_TESTDATA_DIR) + "/models/albert_spiece.model");
  ASSERT_TRUE(proto.ok());
  auto n = Normalizer::Create((*proto)->normalizer_spec(), false);
  ASSERT_TRUE(n.ok()) << n.status();
  // nmt_nfkc: fullwidth letters fold to ASCII, tabs become spaces (then
  // escaped), U+0001 is deleted.
  EXPECT_EQ((*n)->Normalize("\xEF\xBC\xA1\tb\x01"), "\xE2\x96\x81" "A\xE2\x96\x81" "b");
}

TEST(NormalizerTest, UserDefinedSymbolsAreNotNormalized) {
  auto proto = ReadModelProto(std::string(SPM_TESTDATA_DIR) + "/models/albert_spiece.model");
  ASSERT_TRUE(proto.ok());
  auto n = Normalizer::Create((*proto)->normalizer_spec(), false);
  ASSERT_TRUE(n.ok());
  auto m = PrefixMatcher::Create({"\xEF\xBC\xA1"});  // Fullwidth A as a symbol.
  ASSERT_TRUE(m.ok());
  (*n)->SetPrefixMatcher(&*m);
  EXPECT_EQ((*n)->Normalize("\xEF\xBC\xA1"), "\xE2\x96\x81\xEF\xBC\xA1");
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

TEST(NormalizerTest, BrokenCharsmapIsAnError) {
  for (const std::string& blob : {std::string("\x01\x02", 2), std::string("\xff\xff\x00\x00xx", 6),
                                 std::string("\x08\x00\x00\x00" "abcd", 8)}) {
    NormalizerSpec spec;
    spec.set_precompiled_charsmap(blob);
    auto n = Normalizer::Create(spec, false);
    ASSERT_FALSE(n.ok());
    EXPECT_EQ(n.status().message(), "Blob for normalization rule is broken.");
  }
}

// `s` normalized rule by rule as it reads inside a line after a space, for
// a model that removes extra whitespace and escapes it: leading spaces of
// a chunk are dropped while the output ends with a space, spaces become
// `▁` (as Normalizer::Normalize() does, after the reference).
std::string InLine(const Normalizer& n, std::string_view s) {
  std::string out;
  bool prev_is_space = true;
  while (!s.empty()) {
    auto [chunk, len] = n.NormalizePrefix(s);
    s.remove_prefix(len);
    if (prev_is_space) {
      while (!chunk.empty() && chunk.front() == ' ') chunk.remove_prefix(1);
    }
    if (chunk.empty()) continue;
    for (char c : chunk) out += c == ' ' ? std::string("\xE2\x96\x81") : std::string(1, c);
    prev_is_space = chunk.back() == ' ';
  }
  return out;
}

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
// A normalizer (whitespace handling as ALBERT's) whose charsmap holds
// `rules` (source, target); null, with a failure recorded, if it does not
// build.
std::unique_ptr<Normalizer> RulesNormalizer(
    const std::vector<std::pair<std::string, std::string>>& rules) {
  std::string pool;
  std::vector<std::pair<std::string_view, uint32_t>> keys;
  for (const auto& [from, to] : rules) {
    keys.emplace_back(from, static_cast<uint32_t>(pool.size()));
    pool += to;
    pool.push_back('\0');
  }
  SortKeys(&keys);
  auto trie = BuildDoubleArray(keys);
  EXPECT_TRUE(trie.ok()) << trie.status();
  if (!trie.ok()) return nullptr;
  std::string blob(4, '\0');
  const auto trie_bytes = static_cast<uint32_t>(trie->units().size() * 4);
  for (int i = 0; i < 4; ++i) blob[i] = static_cast<char>(trie_bytes >> (8 * i));
  for (uint32_t u : trie->units()) {
    for (int i = 0; i < 4; ++i) blob.push_back(static_cast<char>(u >> (8 * i)));
  }
  blob += pool;
  NormalizerSpec spec;
  spec.set_precompiled_charsmap(blob);
  spec.set_add_dummy_prefix(true);
  spec.set_remove_extra_whitespaces(true);
  spec.set_escape_whitespaces(true);
  auto created = Normalizer::Create(spec, false);
  EXPECT_TRUE(created.ok()) << created.status();
  return created.ok() ? *std::move(created) : nullptr;
}

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

// A separator (IsSeparator()) normalizes exactly as a space in its place,
// whatever surrounds it: the raw-word encoder splits words at it. Under
// ALBERT's nmt_nfkc rules: tab, line feed, form feed and carriage return (other
// control bytes vanish); under identity rules only the space; under built
// rules, not a byte that a longer rule source holds, first or later, nor
// one rewritten to two spaces, nor one a user-defined symbol holds, nor any
// where the space itself has a rule.
TEST(NormalizerTest, SeparatorsNormalizeAsASpace) {
  const std::vector<std::string> contexts = {"", "a", " ", "  ", "\xC2\xB4", "\xEF\xBC\xA1",
                                             "x\t", "\r", "\x0B", "q", "\xE3\x81\x8B"};
  auto separators = [&](const Normalizer& n) {
    std::string found;
    for (int b = 1; b < 256; ++b) {
      const auto c = static_cast<unsigned char>(b);
      if (!n.IsSeparator(c)) continue;
      found.push_back(static_cast<char>(c));
      for (const std::string& x : contexts) {
        for (const std::string& y : contexts) {
          EXPECT_EQ(n.Normalize(x + static_cast<char>(c) + y), n.Normalize(x + " " + y))
              << b << " [" << x << "] [" << y << "]";
        }
      }
    }
    bool others = false;
    for (char c : found) others |= c != ' ';
    EXPECT_EQ(n.HasOtherSeparators(), others);
    return found;
  };
  const std::unique_ptr<Normalizer> albert = AlbertNormalizer();
  ASSERT_NE(albert, nullptr);
  EXPECT_EQ(separators(*albert), "\t\n\x0C\r ");
  EXPECT_EQ(separators(*Identity(true, true, true, false)), " ");
  const std::unique_ptr<Normalizer> built =
      RulesNormalizer({{"\t", " "}, {"\r", " "}, {"\r\x0B", "z"}, {"\x0C", "  "},
                       {"\x1E", " "}, {"q\x1E", "r"}, {"\x1F", " "}, {"\x1D", "x"}});
  ASSERT_NE(built, nullptr);
  EXPECT_EQ(separators(*built), "\t\x1F ");
  // Where a rule rewrites the space, or has it in a longer source, a byte
  // turned into a space reads unlike a space: no separators but the space.
  for (const char* space_rule : {" ", "x ", " y"}) {
    const std::unique_ptr<Normalizer> with_space =
        RulesNormalizer({{"\t", " "}, {"\r", " "}, {space_rule, "_"}});
    ASSERT_NE(with_space, nullptr);
    EXPECT_EQ(separators(*with_space), " ") << space_rule;
  }
  auto tab_symbol = PrefixMatcher::Create({"a\tb"});
  ASSERT_TRUE(tab_symbol.ok());
  albert->SetPrefixMatcher(&*tab_symbol);
  EXPECT_EQ(separators(*albert), "\n\x0C\r ");
  albert->SetPrefixMatcher(nullptr);
  EXPECT_EQ(separators(*albert), "\t\n\x0C\r ");
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

// SpacesAlwaysIsolated() is SpaceIsolated() over every pair of bytes, as
// rules and user-defined symbols change: rules with spaces in their
// sources (unigram_space_rules, unigram_cross_ws) and a symbol with a
// space turn it off.
TEST(NormalizerTest, SpacesAlwaysIsolatedIsEveryPair) {
  auto every_pair = [](const Normalizer& n) {
    for (int a = 0; a < 256; ++a) {
      for (int b = 0; b < 256; ++b) {
        if (!n.SpaceIsolated(static_cast<unsigned char>(a), static_cast<unsigned char>(b))) {
          return false;
        }
      }
    }
    return true;
  };
  int isolated = 0;
  int not_isolated = 0;
  auto with_space = PrefixMatcher::Create({"a b"});
  auto without_space = PrefixMatcher::Create({"ab"});
  ASSERT_TRUE(with_space.ok() && without_space.ok());
  for (const char* name : {"albert_spiece", "llama2", "unigram_space_rules", "unigram_cross_ws",
                           "unigram_rules", "unigram_nmt_nfkc_cf"}) {
    auto proto = ReadModelProto(std::string(SPM_TESTDATA_DIR) + "/models/" + name + ".model");
    ASSERT_TRUE(proto.ok()) << proto.status();
    auto created = Normalizer::Create((*proto)->normalizer_spec(), false);
    ASSERT_TRUE(created.ok()) << created.status();
    Normalizer& n = **created;
    for (const PrefixMatcher* m : {&*without_space, &*with_space, &*without_space}) {
      n.SetPrefixMatcher(m);
      EXPECT_EQ(n.SpacesAlwaysIsolated(), every_pair(n)) << name;
      (n.SpacesAlwaysIsolated() ? isolated : not_isolated) += 1;
    }
  }
  EXPECT_GE(isolated, 4);
  EXPECT_GE(not_isolated, 8);
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
