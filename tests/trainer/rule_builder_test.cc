// Unit tests of the rule builder's steps (rule_builder.h) and of the
// Unicode age filter (unicode_age.h). The complete tables are compared with
// the reference's in builtin_rules_reference_test.cc.

#include "trainer/rule_builder.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "trainer/unicode_age.h"

namespace sentencepiece {
namespace {

using ::testing::HasSubstr;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

constexpr UnicodeVersion kUnicode13{13, 0};
constexpr UnicodeVersion kUnicode15{15, 0};

TEST(UnicodeAgeTest, AssignedAfter) {
  EXPECT_FALSE(AssignedAfter(U'A', kUnicode13));
  EXPECT_FALSE(AssignedAfter(0x1FBF0, kUnicode13));  // SEGMENTED DIGIT ZERO, 13.0.
  EXPECT_TRUE(AssignedAfter(0xA7F2, kUnicode13));    // MODIFIER LETTER CAPITAL C, 14.0.
  EXPECT_FALSE(AssignedAfter(0xA7F2, kUnicode15));
  EXPECT_TRUE(AssignedAfter(0x1E030, kUnicode13));   // A Cyrillic modifier letter, 15.0.
  EXPECT_TRUE(AssignedAfter(0x1E030, UnicodeVersion{14, 0}));
  EXPECT_FALSE(AssignedAfter(0x0378, kUnicode13));   // Unassigned.
  EXPECT_FALSE(AssignedAfter(0xD800, kUnicode13));   // Surrogate.
  EXPECT_FALSE(AssignedAfter(0x110000, kUnicode13));
}

TEST(UnicodeAgeTest, IsUnicodeCharacter) {
  EXPECT_TRUE(IsUnicodeCharacter(0));
  EXPECT_TRUE(IsUnicodeCharacter(0xFFFD));
  EXPECT_TRUE(IsUnicodeCharacter(0x10FFFD));
  EXPECT_FALSE(IsUnicodeCharacter(0xDFFF));
  EXPECT_FALSE(IsUnicodeCharacter(0xFDD0));
  EXPECT_FALSE(IsUnicodeCharacter(0xFDEF));
  EXPECT_TRUE(IsUnicodeCharacter(0xFDF0));
  EXPECT_FALSE(IsUnicodeCharacter(0xFFFE));
  EXPECT_FALSE(IsUnicodeCharacter(0x1FFFF));
  EXPECT_FALSE(IsUnicodeCharacter(0x110000));
}

TEST(UnicodeAgeTest, IcuVersion) {
  EXPECT_FALSE(IcuUnicodeVersion() < kUnicode15);
  EXPECT_TRUE(CheckIcuSupports(kUnicode13).ok());
  const absl::Status too_new = CheckIcuSupports(UnicodeVersion{99, 0});
  EXPECT_EQ(too_new.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(too_new.message()), HasSubstr("99.0"));
  EXPECT_EQ(UnicodeVersionString(UnicodeVersion{13, 0}), "13.0");
}

TEST(RewriteWithRulesTest, LongestMatchWithinMaximum) {
  const NormalizationRules rules = {{U"a", U"x"}, {U"ab", U"Y"}, {U"abc", U"Z"}};
  EXPECT_EQ(internal::RewriteWithRules(rules, U"abcab-a", 3), U"ZY-x");
  EXPECT_EQ(internal::RewriteWithRules(rules, U"abcab-a", 2), U"YcY-x");
  EXPECT_EQ(internal::RewriteWithRules(rules, U"abcab-a", 1), U"xbcxb-x");
  EXPECT_EQ(internal::RewriteWithRules(rules, U"", 3), U"");
  EXPECT_EQ(internal::RewriteWithRules({{U"a", U""}}, U"banana", 1), U"bnn");
}

TEST(RemoveRedundantRulesTest, DropsRulesImpliedByShorterOnes) {
  const NormalizationRules rules = {
      {U"a", U"b"},
      {U"aa", U"bb"},   // a, a.
      {U"ac", U"bc"},   // a, then c copied.
      {U"ad", U"x"},    // Kept: not implied.
      {U"ada", U"xb"},  // ad, a.
      {U"adc", U"y"},   // Kept.
  };
  absl::StatusOr<NormalizationRules> pruned = internal::RemoveRedundantRules(rules);
  ASSERT_TRUE(pruned.ok()) << pruned.status();
  EXPECT_THAT(*pruned, UnorderedElementsAre(Pair(U"a", U"b"), Pair(U"ad", U"x"),
                                            Pair(U"adc", U"y")));
}

TEST(RemoveRedundantRulesTest, KeepsEverySingleCodePointRule) {
  const NormalizationRules rules = {{U"a", U"a"}, {U"b", U""}};
  absl::StatusOr<NormalizationRules> pruned = internal::RemoveRedundantRules(rules);
  ASSERT_TRUE(pruned.ok()) << pruned.status();
  EXPECT_EQ(*pruned, rules);
}

TEST(RemoveRedundantRulesTest, LongerRulesAreCheckedAgainstKeptRulesOnly) {
  // "abc" is implied by the rules as given ("ab" then c), but "ab" itself is
  // implied by a and b, so it is dropped, and without it "abc" holds too.
  const NormalizationRules rules = {
      {U"a", U"A"}, {U"b", U"B"}, {U"ab", U"AB"}, {U"abc", U"ABc"}};
  absl::StatusOr<NormalizationRules> pruned = internal::RemoveRedundantRules(rules);
  ASSERT_TRUE(pruned.ok()) << pruned.status();
  EXPECT_THAT(*pruned, UnorderedElementsAre(Pair(U"a", U"A"), Pair(U"b", U"B")));
}

TEST(RemoveRedundantRulesTest, RejectsEmptyInput) {
  EXPECT_EQ(internal::RemoveRedundantRules({}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(internal::RemoveRedundantRules({{U"", U"x"}}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ApplyNmtChangesTest, WhitespaceDeletionsAndTilde) {
  NormalizationRules rules = {{U"\uFF5E", U"~"}, {U"\uFF21", U"A"}};
  internal::ApplyNmtChanges(&rules);
  EXPECT_EQ(rules.count(U"\uFF5E"), 0u);
  EXPECT_EQ(rules[U"\uFF21"], U"A");
  for (const char32_t cp : {0x09, 0x0A, 0x0C, 0x0D, 0x1680, 0x200B, 0x200C, 0x200E, 0x200F,
                            0x2028, 0x2029, 0x2581, 0xFEFF, 0xFFFD}) {
    EXPECT_EQ(rules[std::u32string(1, cp)], U" ") << std::hex << uint32_t(cp);
  }
  for (const char32_t cp : {0x01, 0x08, 0x0B, 0x0E, 0x1F, 0x7F, 0x8F, 0x9F}) {
    EXPECT_EQ(rules[std::u32string(1, cp)], U"") << std::hex << uint32_t(cp);
  }
  EXPECT_EQ(rules.count(U"\u200D"), 0u);  // ZERO WIDTH JOINER is left alone.
  EXPECT_EQ(rules.count(U"\u0080"), 0u);
  EXPECT_EQ(rules.size(), 1u + 14u + 30u);
}

TEST(ApplyCaseFoldingTest, FoldsTargetsAndAddsMissingRules) {
  NormalizationRules rules = {{U"\u212B", U"\u00C5"},  // ANGSTROM SIGN => Å.
                              {U"A", U"B"},            // An existing rule wins.
                              {U"\uFB00", U"FF"}};
  internal::ApplyCaseFolding(kUnicode13, &rules);
  EXPECT_EQ(rules[U"\u212B"], U"\u00E5");
  EXPECT_EQ(rules[U"A"], U"b");
  EXPECT_EQ(rules[U"\uFB00"], U"ff");
  EXPECT_EQ(rules[U"Z"], U"z");
  EXPECT_EQ(rules[U"\u0391"], U"\u03B1");    // Greek.
  EXPECT_EQ(rules.count(U"\u00DF"), 0u);      // Simple folding keeps ß.
  EXPECT_EQ(rules.count(U"\uA7C0"), 0u);      // Unicode 14: not in a Unicode 13 table.
  NormalizationRules newer;
  internal::ApplyCaseFolding(kUnicode15, &newer);
  EXPECT_EQ(newer[U"\uA7C0"], U"\uA7C1");
}

TEST(NfkcRulesUnprunedTest, SingleCodePointsAndComposingSequences) {
  absl::StatusOr<NormalizationRules> rules = internal::NfkcRulesUnpruned(kUnicode13);
  ASSERT_TRUE(rules.ok()) << rules.status();
  const NormalizationRules& r = *rules;
  EXPECT_EQ(r.at(U"\uFF21"), U"A");
  EXPECT_EQ(r.at(U"\u00BD"), U"1\u20442");
  EXPECT_EQ(r.at(U"\U0001FBF0"), U"0");
  EXPECT_EQ(r.count(U"\uA7F2"), 0u);
  EXPECT_EQ(r.count(U"A"), 0u);
  // e + COMBINING ACUTE, and the same with a fullwidth e, compose to é.
  EXPECT_EQ(r.at(U"e\u0301"), U"\u00E9");
  EXPECT_EQ(r.at(U"\uFF45\u0301"), U"\u00E9");
  // Every code point of the NFKD form may be spelled by any code point
  // that decomposes to it alone (LATIN SMALL LETTER LONG S => s).
  EXPECT_EQ(r.at(U"s\u0323\u0307"), U"\u1E69");
  EXPECT_EQ(r.at(U"\u017F\u0323\u0307"), U"\u1E69");
  // Hangul: L + V (compatibility jamo spelling) composes to a syllable.
  EXPECT_EQ(r.at(U"\u3131\u314F"), U"\uAC00");
}

TEST(BuildRuleSetTest, UnicodeVersionSelectsCodePoints) {
  absl::StatusOr<NormalizationRules> newer = BuildRuleSet(RuleSet::kNfkc, kUnicode15);
  ASSERT_TRUE(newer.ok()) << newer.status();
  EXPECT_EQ(newer->at(U"\uA7F2"), U"C");
  EXPECT_EQ(newer->at(U"\U0001E030"), U"\u0430");
  EXPECT_EQ(BuildRuleSet(RuleSet::kNfkc, UnicodeVersion{99, 0}).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace sentencepiece
