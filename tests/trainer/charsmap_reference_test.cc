// Differential tests of the charsmap compiler, decompiler, TSV format and
// Darts-clone builder against the reference SentencePiece 0.1.97 tools.
// Every expected byte comes from `spm_train` / `spm_normalize` at test time.
// The tests skip when the tools are not installed.

#include <algorithm>
#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "reference_oracle.h"
#include "trainer/charsmap_compiler.h"
#include "trainer/charsmap_tsv.h"
#include "trainer/charsmap_utf8.h"
#include "trainer/darts_clone_builder.h"

namespace sentencepiece {
namespace {

using ::sentencepiece::testing::CharsmapOfModel;
using ::sentencepiece::testing::ReferenceCharsmap;
using ::sentencepiece::testing::ReferenceDecompile;
using ::sentencepiece::testing::ReferenceToolsAvailable;
using ::sentencepiece::testing::ScratchDir;
using ::sentencepiece::testing::SharedModelsDir;
using ::sentencepiece::testing::WriteFileBytes;

#define SKIP_WITHOUT_REFERENCE()                                   \
  if (!ReferenceToolsAvailable()) {                                \
    GTEST_SKIP() << "reference spm_train/spm_normalize not found"; \
  }

// Size of the trie part of a blob, from its header.
uint32_t TrieBytes(const std::string& blob) {
  uint32_t size = 0;
  for (int i = 3; i >= 0; --i) size = (size << 8) | uint8_t(blob[i]);
  return size;
}

// The builder's input for `rules`, derived here independently of the
// compiler: UTF-8 sources sorted bytewise, each with the pool offset of its
// target (distinct targets in code point order, each + NUL).
std::vector<std::pair<std::string, uint32_t>> TrieInput(
    const NormalizationRules& rules) {
  std::map<std::u32string, uint32_t> offsets;
  for (const auto& rule : rules) offsets[rule.second] = 0;
  uint32_t next = 0;
  for (auto& [target, offset] : offsets) {
    offset = next;
    next += internal::EncodeCodepoints(target).size() + 1;
  }
  std::vector<std::pair<std::string, uint32_t>> keys;
  for (const auto& [source, target] : rules) {
    keys.emplace_back(internal::EncodeCodepoints(source), offsets[target]);
  }
  std::sort(keys.begin(), keys.end());
  return keys;
}

// Compiles the TSV at `tsv_path` with the reference and with us and compares
// the blob, the bare double array, and the decompiled TSV.
void ExpectSameAsReference(const std::string& tsv_path) {
  ScratchDir dir;
  absl::StatusOr<std::string> expected =
      ReferenceCharsmap(dir, "--normalization_rule_tsv=" + tsv_path);
  ASSERT_TRUE(expected.ok()) << expected.status();

  absl::StatusOr<NormalizationRules> rules =
      LoadNormalizationRulesTsv(tsv_path);
  ASSERT_TRUE(rules.ok()) << rules.status();
  absl::StatusOr<std::string> blob = CompileCharsMap(*rules);
  ASSERT_TRUE(blob.ok()) << blob.status();
  EXPECT_TRUE(*blob == *expected) << tsv_path << ": blobs differ";

  absl::StatusOr<std::string> trie = BuildDartsCloneArray(TrieInput(*rules));
  ASSERT_TRUE(trie.ok()) << trie.status();
  EXPECT_TRUE(*trie == expected->substr(4, TrieBytes(*expected)))
      << tsv_path << ": double arrays differ";

  absl::StatusOr<std::string> expected_tsv =
      ReferenceDecompile(dir, "--model=" + dir.Path("ref.model"));
  ASSERT_TRUE(expected_tsv.ok()) << expected_tsv.status();
  absl::StatusOr<NormalizationRules> decompiled = DecompileCharsMap(*expected);
  ASSERT_TRUE(decompiled.ok()) << decompiled.status();
  EXPECT_EQ(FormatNormalizationRulesTsv(*decompiled), *expected_tsv);
}

// ------------------------------------------------------- built-in rule sets

class BuiltinRuleTest : public ::testing::TestWithParam<const char*> {};

// (a) Compiling the reference's decompiled TSV gives the blob it trains with.
TEST_P(BuiltinRuleTest, CompiledTsvEqualsTrainedBlob) {
  SKIP_WITHOUT_REFERENCE();
  const std::string name = GetParam();
  ScratchDir dir;
  absl::StatusOr<std::string> tsv =
      ReferenceDecompile(dir, "--normalization_rule_name=" + name);
  ASSERT_TRUE(tsv.ok()) << tsv.status();
  absl::StatusOr<std::string> expected =
      ReferenceCharsmap(dir, "--normalization_rule_name=" + name);
  ASSERT_TRUE(expected.ok()) << expected.status();

  absl::StatusOr<NormalizationRules> rules = ParseNormalizationRulesTsv(*tsv);
  ASSERT_TRUE(rules.ok()) << rules.status();
  absl::StatusOr<std::string> blob = CompileCharsMap(*rules);
  ASSERT_TRUE(blob.ok()) << blob.status();
  EXPECT_EQ(blob->size(), expected->size());
  EXPECT_TRUE(*blob == *expected) << name << ": blobs differ";
}

// (b) Our decompiler and TSV writer reproduce `spm_normalize --decompile`.
TEST_P(BuiltinRuleTest, DecompiledBlobEqualsReferenceTsv) {
  SKIP_WITHOUT_REFERENCE();
  const std::string name = GetParam();
  ScratchDir dir;
  absl::StatusOr<std::string> blob =
      ReferenceCharsmap(dir, "--normalization_rule_name=" + name);
  ASSERT_TRUE(blob.ok()) << blob.status();
  absl::StatusOr<std::string> expected =
      ReferenceDecompile(dir, "--normalization_rule_name=" + name);
  ASSERT_TRUE(expected.ok()) << expected.status();

  absl::StatusOr<NormalizationRules> rules = DecompileCharsMap(*blob);
  ASSERT_TRUE(rules.ok()) << rules.status();
  const std::string tsv = FormatNormalizationRulesTsv(*rules);
  EXPECT_EQ(tsv.size(), expected->size());
  EXPECT_TRUE(tsv == *expected) << name << ": decompiled TSVs differ";
}

INSTANTIATE_TEST_SUITE_P(Reference, BuiltinRuleTest,
                         ::testing::Values("nfkc", "nmt_nfkc", "nfkc_cf",
                                           "nmt_nfkc_cf"));

// ------------------------------------- older blobs stored in published models

class SharedModelTest : public ::testing::TestWithParam<const char*> {};

// spm_test_model carries an older nfkc blob, albert_spiece an older nmt_nfkc.
TEST_P(SharedModelTest, RoundTripsTheModelsBlob) {
  SKIP_WITHOUT_REFERENCE();
  if (SharedModelsDir().empty()) GTEST_SKIP() << "../shared/data/models absent";
  const std::string model = SharedModelsDir() + "/" + GetParam();
  absl::StatusOr<std::string> expected = CharsmapOfModel(model);
  ASSERT_TRUE(expected.ok()) << expected.status();
  ScratchDir dir;
  absl::StatusOr<std::string> expected_tsv =
      ReferenceDecompile(dir, "--model=" + model);
  ASSERT_TRUE(expected_tsv.ok()) << expected_tsv.status();

  absl::StatusOr<NormalizationRules> rules = DecompileCharsMap(*expected);
  ASSERT_TRUE(rules.ok()) << rules.status();
  EXPECT_TRUE(FormatNormalizationRulesTsv(*rules) == *expected_tsv);

  absl::StatusOr<NormalizationRules> parsed =
      ParseNormalizationRulesTsv(*expected_tsv);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_TRUE(*parsed == *rules);
  absl::StatusOr<std::string> blob = CompileCharsMap(*parsed);
  ASSERT_TRUE(blob.ok()) << blob.status();
  EXPECT_TRUE(*blob == *expected) << GetParam() << ": blobs differ";
}

INSTANTIATE_TEST_SUITE_P(Reference, SharedModelTest,
                         ::testing::Values("spm_test_model.model",
                                           "albert_spiece.model"));

// ------------------------------------------------------ small rule sets (d)

class HandMadeRulesTest : public ::testing::TestWithParam<const char*> {};

TEST_P(HandMadeRulesTest, SameBytesAsReference) {
  SKIP_WITHOUT_REFERENCE();
  ExpectSameAsReference(std::string(SPM_TESTDATA_DIR) + "/rules/" + GetParam());
}

INSTANTIATE_TEST_SUITE_P(Reference, HandMadeRulesTest,
                         ::testing::Values("basic.tsv", "quirks.tsv",
                                           "shared_suffix.tsv"));

// Random rules over `alphabet`: sources of 1..max_length code points,
// targets drawn from a few strings so that identical subtrees occur.
std::string RandomRulesTsv(uint32_t seed, int num_rules, int max_length,
                           const std::u32string& alphabet) {
  std::mt19937 rng(seed);
  const std::vector<std::u32string> targets = {
      U"", U"x", U"yz", U"\u00C0", U"A", U"B", U"C", U"D", U"E", U"F"};
  std::string tsv;
  char hex[16];
  for (int i = 0; i < num_rules; ++i) {
    const int length = 1 + rng() % max_length;
    for (int j = 0; j < length; ++j) {
      snprintf(hex, sizeof(hex), j == 0 ? "%X" : " %X",
               unsigned(alphabet[rng() % alphabet.size()]));
      tsv += hex;
    }
    tsv += '\t';
    const std::u32string& target = targets[rng() % targets.size()];
    for (size_t j = 0; j < target.size(); ++j) {
      snprintf(hex, sizeof(hex), j == 0 ? "%X" : " %X", unsigned(target[j]));
      tsv += hex;
    }
    tsv += '\n';
  }
  return tsv;
}

// A small alphabet: sources share prefixes and suffixes.
const std::u32string kSmallAlphabet = U"abc\u00E9\u0301\u4E2D\U0001F600\uFF21";

TEST(RandomRulesTest, SmallSetsMatchReference) {
  SKIP_WITHOUT_REFERENCE();
  ScratchDir dir;
  for (uint32_t seed = 1; seed <= 12; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    const std::string path = dir.Path("random" + std::to_string(seed) + ".tsv");
    ASSERT_TRUE(
        WriteFileBytes(path, RandomRulesTsv(seed, 5 * seed, 4, kSmallAlphabet))
            .ok());
    ExpectSameAsReference(path);
  }
}

// Many nested and shared paths; needs more than the 16-block window.
TEST(RandomRulesTest, DeepSetMatchesReference) {
  SKIP_WITHOUT_REFERENCE();
  ScratchDir dir;
  const std::string path = dir.Path("deep.tsv");
  ASSERT_TRUE(
      WriteFileBytes(path, RandomRulesTsv(2024, 6000, 7, kSmallAlphabet)).ok());
  ExpectSameAsReference(path);
}

// Single code points scattered over planes 0-2, like the NFKC tables: a wide
// root leaves free slots behind, so the result depends on exactly when
// blocks leave the placement window.
TEST(RandomRulesTest, WideSetMatchesReference) {
  SKIP_WITHOUT_REFERENCE();
  std::mt19937 rng(7);
  std::u32string alphabet;
  while (alphabet.size() < 20000) {
    const char32_t cp = 0xA0 + rng() % (0x30000 - 0xA0);
    if (cp < 0xD800 || cp > 0xDFFF) alphabet.push_back(cp);
  }
  ScratchDir dir;
  const std::string path = dir.Path("wide.tsv");
  ASSERT_TRUE(WriteFileBytes(path, RandomRulesTsv(8, 20000, 1, alphabet)).ok());
  ExpectSameAsReference(path);
  absl::StatusOr<NormalizationRules> rules = LoadNormalizationRulesTsv(path);
  ASSERT_TRUE(rules.ok());
  absl::StatusOr<std::string> blob = CompileCharsMap(*rules);
  ASSERT_TRUE(blob.ok());
  EXPECT_GT(TrieBytes(*blob), 16u * 256 * 4);
}

// ------------------------------------------------------------ error parity

// Rule files the reference rejects are rejected here too.
TEST(ErrorParityTest, RejectedByBoth) {
  SKIP_WITHOUT_REFERENCE();
  std::string nested;  // 32 sources, each a prefix of the next.
  for (int i = 1; i <= 32; ++i) {
    for (int j = 0; j < i; ++j) nested += j == 0 ? "61" : " 61";
    nested += "\t62\n";
  }
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"empty_source", "41\t61\n\t62\n"},
      {"empty_file", ""},
      {"surrogate", "D800\t61\n"},
      {"too_many_prefixes", nested},
  };
  ScratchDir dir;
  for (const auto& [name, contents] : cases) {
    SCOPED_TRACE(name);
    const std::string path = dir.Path(name + ".tsv");
    ASSERT_TRUE(WriteFileBytes(path, contents).ok());
    EXPECT_FALSE(
        ReferenceCharsmap(dir, "--normalization_rule_tsv=" + path).ok());
    absl::StatusOr<NormalizationRules> rules = LoadNormalizationRulesTsv(path);
    if (!rules.ok()) continue;
    absl::StatusOr<std::string> blob = CompileCharsMap(*rules);
    EXPECT_FALSE(blob.ok());
    if (name == "too_many_prefixes") {
      EXPECT_THAT(std::string(blob.status().message()),
                  ::testing::HasSubstr("This charmaps contain many shared "
                                       "prefix. The number of shared prefix "
                                       "must be less than 32"));
    }
  }
}

// One fewer nested prefix is accepted by both, with the same bytes.
TEST(ErrorParityTest, ThirtyOneNestedPrefixesAccepted) {
  SKIP_WITHOUT_REFERENCE();
  std::string nested;
  for (int i = 1; i <= 31; ++i) {
    for (int j = 0; j < i; ++j) nested += j == 0 ? "FF41" : " FF41";
    nested += "\t62\n";
  }
  ScratchDir dir;
  const std::string path = dir.Path("nested31.tsv");
  ASSERT_TRUE(WriteFileBytes(path, nested).ok());
  ExpectSameAsReference(path);
}

}  // namespace
}  // namespace sentencepiece
