// Unit tests of the named rule sets (builtin_rules.h) and of
// BuildNormalizerSpec (normalization_rules.h). Byte-for-byte comparisons
// with the reference are in builtin_rules_reference_test.cc.

#include "trainer/builtin_rules.h"

#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "trainer/charsmap_compiler.h"
#include "trainer/charsmap_tsv.h"
#include "trainer/normalization_rules.h"

namespace sentencepiece {
namespace {

using ::testing::ElementsAre;

// The rules of a built-in name, through its (cached) blob.
NormalizationRules RulesOf(const std::string& name) {
  absl::StatusOr<std::string> blob = BuiltinCharsMap(name);
  EXPECT_TRUE(blob.ok()) << name << ": " << blob.status();
  if (!blob.ok()) return {};
  absl::StatusOr<NormalizationRules> rules = DecompileCharsMap(*blob);
  EXPECT_TRUE(rules.ok()) << name << ": " << rules.status();
  return rules.ok() ? *rules : NormalizationRules();
}

// The target of `source` in `rules`, or "<none>".
std::u32string TargetOf(const NormalizationRules& rules, const std::u32string& source) {
  auto it = rules.find(source);
  return it == rules.end() ? U"<none>" : it->second;
}

TEST(BuiltinRulesTest, Names) {
  EXPECT_THAT(BuiltinRuleNames(),
              ElementsAre("nmt_nfkc", "nfkc", "nmt_nfkc_cf", "nfkc_cf", "identity",
                          "nmt_nfkc_unicode15", "nfkc_unicode15", "nmt_nfkc_cf_unicode15",
                          "nfkc_cf_unicode15"));
}

TEST(BuiltinRulesTest, IdentityIsEmpty) {
  absl::StatusOr<std::string> blob = BuiltinCharsMap("identity");
  ASSERT_TRUE(blob.ok()) << blob.status();
  EXPECT_TRUE(blob->empty());
  absl::StatusOr<NormalizationRules> rules = BuiltinRules("identity");
  ASSERT_TRUE(rules.ok()) << rules.status();
  EXPECT_TRUE(rules->empty());
}

TEST(BuiltinRulesTest, UnknownName) {
  for (const std::string name : {"NFKC", "nfkd", "", "user_defined"}) {
    const absl::Status status = BuiltinCharsMap(name).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kNotFound) << name;
    EXPECT_EQ(status.message(), "No precompiled charsmap is found: " + name);
    EXPECT_EQ(BuiltinRules(name).status(), status);
  }
}

// The embedded blobs (derived at build time) are what deriving them now
// gives: a stale or damaged embedding fails here.
TEST(BuiltinRulesTest, EmbeddedBlobsMatchTheDerivation) {
  for (const std::string name : {"nmt_nfkc", "nfkc", "nmt_nfkc_cf", "nfkc_cf"}) {
    absl::StatusOr<std::string> embedded = BuiltinCharsMap(name);
    absl::StatusOr<std::string> derived = DeriveBuiltinCharsMap(name);
    ASSERT_TRUE(embedded.ok()) << embedded.status();
    ASSERT_TRUE(derived.ok()) << derived.status();
    EXPECT_GT(embedded->size(), 100000u) << name;
    EXPECT_TRUE(*embedded == *derived) << name;
  }
  EXPECT_EQ(DeriveBuiltinCharsMap("nfkd").status().code(), absl::StatusCode::kNotFound);
}

TEST(BuiltinRulesTest, NfkcAndNmtNfkc) {
  const NormalizationRules nfkc = RulesOf("nfkc");
  const NormalizationRules nmt = RulesOf("nmt_nfkc");
  EXPECT_EQ(TargetOf(nfkc, U"\uFF21"), U"A");
  EXPECT_EQ(TargetOf(nfkc, U"\U0001FBF0"), U"0");  // Unicode 13.0.
  EXPECT_EQ(TargetOf(nfkc, U"\uA7F2"), U"<none>");  // Unicode 14.0.
  EXPECT_EQ(TargetOf(nfkc, U"\uFF5E"), U"~");
  EXPECT_EQ(TargetOf(nfkc, U"\u2581"), U"<none>");
  EXPECT_EQ(TargetOf(nfkc, U"e\u0301"), U"\u00E9");
  EXPECT_EQ(TargetOf(nmt, U"\uFF5E"), U"<none>");
  EXPECT_EQ(TargetOf(nmt, U"\u2581"), U" ");
  EXPECT_EQ(TargetOf(nmt, U"\u0001"), U"");
  EXPECT_EQ(TargetOf(nmt, U"\uFF21"), U"A");
  EXPECT_EQ(nmt.size(), nfkc.size() + 44 - 1);
}

TEST(BuiltinRulesTest, CaseFoldedSets) {
  const NormalizationRules cf = RulesOf("nfkc_cf");
  EXPECT_EQ(TargetOf(cf, U"A"), U"a");
  EXPECT_EQ(TargetOf(cf, U"\uFF21"), U"a");
  EXPECT_EQ(TargetOf(cf, U"\u212B"), U"\u00E5");
  EXPECT_EQ(TargetOf(cf, U"\uA7C0"), U"<none>");  // Unicode 14.0.
  const NormalizationRules nmt_cf = RulesOf("nmt_nfkc_cf");
  EXPECT_EQ(TargetOf(nmt_cf, U"A"), U"a");
  EXPECT_EQ(TargetOf(nmt_cf, U"\u200B"), U" ");
}

TEST(BuiltinRulesTest, Unicode15Sets) {
  const NormalizationRules nfkc15 = RulesOf("nfkc_unicode15");
  EXPECT_EQ(TargetOf(nfkc15, U"\uA7F2"), U"C");
  EXPECT_EQ(TargetOf(nfkc15, U"\uFF21"), U"A");
  const NormalizationRules cf15 = RulesOf("nmt_nfkc_cf_unicode15");
  EXPECT_EQ(TargetOf(cf15, U"\uA7C0"), U"\uA7C1");
  EXPECT_EQ(TargetOf(cf15, U"\uA7F2"), U"c");
  EXPECT_EQ(TargetOf(cf15, U"\u2581"), U" ");
}

TEST(BuiltinRulesTest, BlobsAreCachedAndThreadSafe) {
  std::vector<std::string> blobs(4);
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&blobs, i] {
      absl::StatusOr<std::string> blob = BuiltinCharsMap(i % 2 ? "nfkc" : "nmt_nfkc");
      if (blob.ok()) blobs[i] = *blob;
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_FALSE(blobs[0].empty());
  EXPECT_FALSE(blobs[1].empty());
  EXPECT_EQ(blobs[0], blobs[2]);
  EXPECT_EQ(blobs[1], blobs[3]);
  EXPECT_NE(blobs[0], blobs[1]);
  // The blob compiles the rules BuiltinRules() derives.
  absl::StatusOr<NormalizationRules> rules = BuiltinRules("nfkc");
  ASSERT_TRUE(rules.ok()) << rules.status();
  EXPECT_EQ(CompileCharsMap(*rules).value(), blobs[1]);
}

// ------------------------------------------------------ BuildNormalizerSpec

const std::string kBasicTsv = std::string(SPM_TESTDATA_DIR) + "/rules/basic.tsv";

TEST(BuildNormalizerSpecTest, EmptyNameIsNmtNfkc) {
  NormalizerSpec requested;
  requested.set_add_dummy_prefix(false);
  absl::StatusOr<NormalizerSpec> spec = BuildNormalizerSpec(requested, false);
  ASSERT_TRUE(spec.ok()) << spec.status();
  EXPECT_EQ(spec->name(), "nmt_nfkc");
  EXPECT_EQ(spec->precompiled_charsmap(), BuiltinCharsMap("nmt_nfkc").value());
  EXPECT_FALSE(spec->add_dummy_prefix());
  EXPECT_FALSE(spec->has_normalization_rule_tsv());
}

TEST(BuildNormalizerSpecTest, NamedRules) {
  NormalizerSpec requested;
  requested.set_name("nfkc_cf");
  absl::StatusOr<NormalizerSpec> spec = BuildNormalizerSpec(requested, false);
  ASSERT_TRUE(spec.ok()) << spec.status();
  EXPECT_EQ(spec->name(), "nfkc_cf");
  EXPECT_EQ(spec->precompiled_charsmap(), BuiltinCharsMap("nfkc_cf").value());

  requested.set_name("identity");
  spec = BuildNormalizerSpec(requested, false);
  ASSERT_TRUE(spec.ok()) << spec.status();
  EXPECT_EQ(spec->name(), "identity");
  EXPECT_TRUE(spec->precompiled_charsmap().empty());
}

TEST(BuildNormalizerSpecTest, UnknownName) {
  NormalizerSpec requested;
  requested.set_name("nfkd");
  const absl::Status status = BuildNormalizerSpec(requested, false).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(status.message(), "No precompiled charsmap is found: nfkd");
}

TEST(BuildNormalizerSpecTest, ExistingCharsmapIsKept) {
  NormalizerSpec requested;
  requested.set_name("anything");
  requested.set_precompiled_charsmap("blob");
  absl::StatusOr<NormalizerSpec> spec = BuildNormalizerSpec(requested, false);
  ASSERT_TRUE(spec.ok()) << spec.status();
  EXPECT_EQ(spec->SerializeAsString(), requested.SerializeAsString());
}

TEST(BuildNormalizerSpecTest, RuleTsv) {
  for (const bool is_denormalizer : {false, true}) {
    NormalizerSpec requested;
    requested.set_name("nfkc");
    requested.set_normalization_rule_tsv(kBasicTsv);
    absl::StatusOr<NormalizerSpec> spec = BuildNormalizerSpec(requested, is_denormalizer);
    ASSERT_TRUE(spec.ok()) << spec.status();
    EXPECT_EQ(spec->name(), "user_defined");
    EXPECT_EQ(spec->normalization_rule_tsv(), kBasicTsv);
    EXPECT_EQ(spec->precompiled_charsmap(),
              CompileCharsMap(LoadNormalizationRulesTsv(kBasicTsv).value()).value());
  }
}

TEST(BuildNormalizerSpecTest, RuleTsvErrors) {
  NormalizerSpec requested;
  requested.set_normalization_rule_tsv(kBasicTsv);
  requested.set_precompiled_charsmap("blob");
  const absl::Status twice = BuildNormalizerSpec(requested, false).status();
  EXPECT_EQ(twice.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(twice.message(), "precompiled_charsmap is already defined.");

  requested.clear_precompiled_charsmap();
  requested.set_normalization_rule_tsv(std::string(SPM_TESTDATA_DIR) + "/rules/missing.tsv");
  EXPECT_EQ(BuildNormalizerSpec(requested, false).status().code(),
            absl::StatusCode::kNotFound);
}

TEST(BuildNormalizerSpecTest, DenormalizerWithoutTsvIsUnchanged) {
  NormalizerSpec requested;
  absl::StatusOr<NormalizerSpec> spec = BuildNormalizerSpec(requested, true);
  ASSERT_TRUE(spec.ok()) << spec.status();
  EXPECT_FALSE(spec->has_name());
  EXPECT_FALSE(spec->has_precompiled_charsmap());
  requested.set_name("nosuchrule");
  spec = BuildNormalizerSpec(requested, true);
  ASSERT_TRUE(spec.ok()) << spec.status();
  EXPECT_EQ(spec->name(), "nosuchrule");
}

}  // namespace
}  // namespace sentencepiece
