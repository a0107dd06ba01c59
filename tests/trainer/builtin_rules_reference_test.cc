// The built-in rule sets we derive from ICU against the reference
// SentencePiece 0.1.97: for each name, the blob equals the one the
// reference's spm_train puts in a model, and the rules equal what the
// reference's `spm_normalize --decompile` prints. Every expected byte comes
// from the reference tools at test time; the tests skip without them.

#include <string>

#include "gtest/gtest.h"
#include "reference_oracle.h"
#include "trainer/builtin_rules.h"
#include "trainer/charsmap_tsv.h"
#include "trainer/normalization_rules.h"

namespace sentencepiece {
namespace {

using ::sentencepiece::testing::ReferenceCharsmap;
using ::sentencepiece::testing::ReferenceDecompile;
using ::sentencepiece::testing::ReferenceToolsAvailable;
using ::sentencepiece::testing::ScratchDir;

class BuiltinRulesReferenceTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!ReferenceToolsAvailable()) GTEST_SKIP() << "reference spm_train/spm_normalize not found";
  }
};

TEST_P(BuiltinRulesReferenceTest, BlobEqualsTrainedModels) {
  const std::string name = GetParam();
  ScratchDir dir;
  absl::StatusOr<std::string> expected =
      ReferenceCharsmap(dir, "--normalization_rule_name=" + name);
  ASSERT_TRUE(expected.ok()) << expected.status();
  absl::StatusOr<std::string> blob = BuiltinCharsMap(name);
  ASSERT_TRUE(blob.ok()) << blob.status();
  EXPECT_EQ(blob->size(), expected->size());
  EXPECT_TRUE(*blob == *expected) << name << ": blobs differ";

  // What a trainer gets for the name.
  NormalizerSpec requested;
  requested.set_name(name);
  absl::StatusOr<NormalizerSpec> spec = BuildNormalizerSpec(requested, false);
  ASSERT_TRUE(spec.ok()) << spec.status();
  EXPECT_TRUE(spec->precompiled_charsmap() == *expected);
}

TEST_P(BuiltinRulesReferenceTest, RulesEqualDecompiledTables) {
  const std::string name = GetParam();
  ScratchDir dir;
  absl::StatusOr<std::string> expected =
      ReferenceDecompile(dir, "--normalization_rule_name=" + name);
  ASSERT_TRUE(expected.ok()) << expected.status();
  absl::StatusOr<NormalizationRules> rules = BuiltinRules(name);
  ASSERT_TRUE(rules.ok()) << rules.status();
  const std::string tsv = FormatNormalizationRulesTsv(*rules);
  if (tsv == *expected) return;
  // Show the first differing line.
  size_t pos = 0;
  while (pos < tsv.size() && pos < expected->size() && tsv[pos] == (*expected)[pos]) ++pos;
  const size_t line_start = tsv.rfind('\n', pos == 0 ? 0 : pos - 1);
  const size_t from = line_start == std::string::npos ? 0 : line_start + 1;
  ADD_FAILURE() << name << ": tables differ; ours at byte " << pos << ": "
                << tsv.substr(from, tsv.find('\n', from) - from) << "\nreference: "
                << expected->substr(from, expected->find('\n', from) - from);
}

INSTANTIATE_TEST_SUITE_P(ReferenceNames, BuiltinRulesReferenceTest,
                         ::testing::Values("nmt_nfkc", "nfkc", "nmt_nfkc_cf", "nfkc_cf"));

TEST(BuiltinRulesReferenceIdentityTest, IdentityBlobIsEmptyInTrainedModels) {
  if (!ReferenceToolsAvailable()) GTEST_SKIP() << "reference spm_train not found";
  ScratchDir dir;
  absl::StatusOr<std::string> expected =
      ReferenceCharsmap(dir, "--normalization_rule_name=identity");
  ASSERT_TRUE(expected.ok()) << expected.status();
  EXPECT_TRUE(expected->empty());
  EXPECT_EQ(BuiltinCharsMap("identity").value(), *expected);
}

TEST(BuiltinRulesReferenceTsvTest, RuleTsvEqualsReference) {
  if (!ReferenceToolsAvailable()) GTEST_SKIP() << "reference spm_train not found";
  for (const char* file : {"basic.tsv", "shared_suffix.tsv", "quirks.tsv"}) {
    const std::string path = std::string(SPM_TESTDATA_DIR) + "/rules/" + file;
    ScratchDir dir;
    absl::StatusOr<std::string> expected =
        ReferenceCharsmap(dir, "--normalization_rule_tsv=" + path);
    ASSERT_TRUE(expected.ok()) << expected.status();
    NormalizerSpec requested;
    requested.set_normalization_rule_tsv(path);
    absl::StatusOr<NormalizerSpec> spec = BuildNormalizerSpec(requested, false);
    ASSERT_TRUE(spec.ok()) << file << ": " << spec.status();
    EXPECT_EQ(spec->name(), "user_defined");
    EXPECT_TRUE(spec->precompiled_charsmap() == *expected) << file << ": blobs differ";
  }
}

}  // namespace
}  // namespace sentencepiece
