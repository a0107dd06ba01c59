// The normalizer's basics: whitespace handling, alignment, malformed UTF-8,
// charsmap rules and their errors, user-defined symbols, separators.

#include "normalizer/normalizer.h"

#include <memory>
#include <string>
#include <vector>

#include "common/model_io.h"
#include "gtest/gtest.h"
#include "normalizer/prefix_matcher.h"
#include "normalizer_test_util.h"

namespace sentencepiece {
namespace {

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

}  // namespace
}  // namespace sentencepiece
