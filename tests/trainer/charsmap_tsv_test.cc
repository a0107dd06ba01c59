// Unit tests of the normalization rule TSV reader and writer. The formats
// are also compared with the reference's on real rule sets in
// charsmap_reference_test.cc.

#include "trainer/charsmap_tsv.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace sentencepiece {
namespace {

using ::testing::HasSubstr;

NormalizationRules Parse(const std::string& contents) {
  absl::StatusOr<NormalizationRules> rules =
      ParseNormalizationRulesTsv(contents);
  EXPECT_TRUE(rules.ok()) << rules.status();
  return rules.ok() ? *rules : NormalizationRules();
}

void ExpectParseError(const std::string& contents, const std::string& message) {
  absl::StatusOr<NormalizationRules> rules =
      ParseNormalizationRulesTsv(contents, "x.tsv");
  ASSERT_FALSE(rules.ok()) << contents;
  EXPECT_EQ(rules.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(rules.status().message()), HasSubstr(message));
}

TEST(CharsmapTsvTest, ParsesSourcesAndTargets) {
  EXPECT_EQ(Parse("41\t61\n"), (NormalizationRules{{U"A", U"a"}}));
  EXPECT_EQ(Parse("U+0041 U+0300\tU+00C0\n"),
            (NormalizationRules{{U"A\u0300", U"\u00C0"}}));
  EXPECT_EQ(Parse("1F600\t3A 29\n"),
            (NormalizationRules{{U"\U0001F600", U":)"}}));
  EXPECT_EQ(Parse("ff21\t61\n"), (NormalizationRules{{U"\uFF21", U"a"}}));
}

TEST(CharsmapTsvTest, MissingOrEmptyTargetDeletes) {
  EXPECT_EQ(Parse("200B\n200C\t\n200D\t\t# comment\n"),
            (NormalizationRules{
                {U"\u200B", U""}, {U"\u200C", U""}, {U"\u200D", U""}}));
}

TEST(CharsmapTsvTest, ExtraFieldsAndSpacesAreIgnored) {
  EXPECT_EQ(Parse("41  42 \t 61\t# AB => a\tmore\n"),
            (NormalizationRules{{U"AB", U"a"}}));
}

TEST(CharsmapTsvTest, LaterDuplicateWins) {
  EXPECT_EQ(Parse("41\t61\n42\t62\n41\t63\n"),
            (NormalizationRules{{U"A", U"c"}, {U"B", U"b"}}));
}

TEST(CharsmapTsvTest, LastLineWithoutNewline) {
  EXPECT_EQ(Parse("41\t61\n42\t62"),
            (NormalizationRules{{U"A", U"a"}, {U"B", U"b"}}));
  EXPECT_TRUE(Parse("").empty());
}

TEST(CharsmapTsvTest, CarriageReturnEndsANumber) {
  EXPECT_EQ(Parse("41\t61\r\n42\r\n"),
            (NormalizationRules{{U"A", U"a"}, {U"B", U""}}));
}

// Numbers are read as the reference's stream extraction reads them.
TEST(CharsmapTsvTest, ReferenceNumberReadingQuirks) {
  // "U+" followed by a space reads the next number, which is read again.
  EXPECT_EQ(Parse("U+ 41\t61\n"), (NormalizationRules{{U"AA", U"a"}}));
  // Reading stops at the first non-hex character.
  EXPECT_EQ(Parse("41zz\t61\n"), (NormalizationRules{{U"A", U"a"}}));
  // Values are not range-checked here (the compiler handles them).
  EXPECT_EQ(Parse("110000\t0\n"),
            (NormalizationRules{
                {std::u32string(1, 0x110000), std::u32string(1, 0)}}));
}

TEST(CharsmapTsvTest, Errors) {
  ExpectParseError("41\t61\n\n42\t62\n", "x.tsv line 2: empty line");
  ExpectParseError("\t61\n", "x.tsv line 1: source field is empty");
  ExpectParseError("  \t61\n", "line 1: source field is empty");
  ExpectParseError("zz\t61\n", "line 1: \"zz\" is not a hex code point");
  ExpectParseError("41\tU+\n", "line 1: \"U+\" is not a hex code point");
  ExpectParseError("41\t-1\n", "\"-1\" is not a hex code point");
  ExpectParseError("41\t\r\n", "\"\r\" is not a hex code point");
  ExpectParseError("100000000\t61\n", "does not fit in 32 bits");
}

TEST(CharsmapTsvTest, LoadReportsMissingFile) {
  absl::StatusOr<NormalizationRules> rules =
      LoadNormalizationRulesTsv("/nonexistent/rules.tsv");
  ASSERT_FALSE(rules.ok());
  EXPECT_EQ(rules.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(rules.status().message()),
              HasSubstr("/nonexistent/rules.tsv"));
}

TEST(CharsmapTsvTest, LoadsTestdataFile) {
  absl::StatusOr<NormalizationRules> rules = LoadNormalizationRulesTsv(
      std::string(SPM_TESTDATA_DIR) + "/rules/basic.tsv");
  ASSERT_TRUE(rules.ok()) << rules.status();
  EXPECT_EQ(rules->at(U"\uFF21"), U"A");
  EXPECT_EQ(rules->at(U"\u200B"), U"");
}

TEST(CharsmapTsvTest, FormatsLikeDecompile) {
  const NormalizationRules rules = {
      {U"A", U"a"}, {U"BC", U""}, {U"D", U"ef"}, {U"\u00C0", U"A\u0300"}};
  EXPECT_EQ(FormatNormalizationRulesTsv(rules),
            "41\t61\t# A => a\n"
            "42 43\t\t# BC => \n"
            "44\t65 66\t# D => ef\n"
            "C0\t41 300\t# \xC3\x80 => A\xCC\x80\n");
}

TEST(CharsmapTsvTest, FormatBlanksControlCharactersInComment) {
  const NormalizationRules rules = {
      {U"\b", U" "}, {U"\t", U" "}, {U"\n", U" "}, {U"\r", U""}};
  EXPECT_EQ(FormatNormalizationRulesTsv(rules),
            "8\t20\t#   =>  \n"
            "9\t20\t# \t =>  \n"  // A TAB is kept.
            "A\t20\t#   =>  \n"
            "D\t\t#   => \n");
}

TEST(CharsmapTsvTest, FormatWritesOutOfRangeAsReplacementChar) {
  const NormalizationRules rules = {{std::u32string(1, 0x110000), U"a"}};
  EXPECT_EQ(FormatNormalizationRulesTsv(rules),
            "110000\t61\t# \xEF\xBF\xBD => a\n");
}

TEST(CharsmapTsvTest, FormatThenParseRoundTrips) {
  const NormalizationRules rules = {
      {U"\uFF21\uFF22", U"AB"}, {U"\U0001F600", U""}, {U"\u3000", U" "}};
  EXPECT_EQ(Parse(FormatNormalizationRulesTsv(rules)), rules);
}

}  // namespace
}  // namespace sentencepiece
