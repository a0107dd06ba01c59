// Unit tests of the charsmap compiler and decompiler: blob layout, round
// trips, and the error cases. Byte equality with the reference is checked in
// charsmap_reference_test.cc.

#include "trainer/charsmap_compiler.h"

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "trainer/darts_clone_view.h"

namespace sentencepiece {
namespace {

using ::testing::HasSubstr;

uint32_t ReadHeader(const std::string& blob) {
  uint32_t size = 0;
  for (int i = 3; i >= 0; --i) size = (size << 8) | uint8_t(blob[i]);
  return size;
}

std::vector<uint32_t> TrieUnits(const std::string& blob) {
  std::vector<uint32_t> units(ReadHeader(blob) / 4);
  for (size_t i = 0; i < units.size(); ++i) {
    for (int b = 3; b >= 0; --b) {
      units[i] = (units[i] << 8) | uint8_t(blob[4 + 4 * i + b]);
    }
  }
  return units;
}

std::string Bytes(std::initializer_list<int> bytes) {
  std::string out;
  for (int b : bytes) out.push_back(static_cast<char>(b));
  return out;
}

void ExpectError(const absl::StatusOr<std::string>& blob, absl::StatusCode code,
                 const std::string& message) {
  ASSERT_FALSE(blob.ok());
  EXPECT_EQ(blob.status().code(), code) << blob.status();
  EXPECT_THAT(std::string(blob.status().message()), HasSubstr(message));
}

const NormalizationRules& SampleRules() {
  static const auto* rules = new NormalizationRules{
      {U"\uFF21", U"A"}, {U"A\u0300", U"\u00C0"}, {U"\u200B", U""},
      {U"\u2028", U" "}, {U"\U0001F600", U":)"},  {U"\u4E2D\u6587", U"\u4E2D"},
      {U"\uFF22", U"A"},  // A target shared with U+FF21.
  };
  return *rules;
}

TEST(CharsmapCompilerTest, BlobLayout) {
  absl::StatusOr<std::string> blob = CompileCharsMap(SampleRules());
  ASSERT_TRUE(blob.ok()) << blob.status();
  const uint32_t trie_bytes = ReadHeader(*blob);
  EXPECT_EQ(trie_bytes % 1024, 0u);
  ASSERT_GT(blob->size(), 4 + trie_bytes);
  // Distinct targets in code point order, each NUL-terminated; the deletion
  // target comes first.
  const std::string pool = blob->substr(4 + trie_bytes);
  EXPECT_EQ(pool, std::string("\0 \0:)\0A\0\xC3\x80\0\xE4\xB8\xAD\0", 15));
}

TEST(CharsmapCompilerTest, TrieValuesPointAtTargets) {
  absl::StatusOr<std::string> blob = CompileCharsMap(SampleRules());
  ASSERT_TRUE(blob.ok()) << blob.status();
  const std::vector<uint32_t> units = TrieUnits(*blob);
  const internal::DartsCloneView trie(units);
  const std::string pool = blob->substr(4 + ReadHeader(*blob));
  EXPECT_EQ(trie.Find("\xEF\xBC\xA1"), pool.find('A'));      // U+FF21
  EXPECT_EQ(trie.Find("\xEF\xBC\xA2"), pool.find('A'));      // U+FF22
  EXPECT_EQ(trie.Find("\xE2\x80\x8B"), 0u);                  // deletion
  EXPECT_EQ(trie.Find("A\xCC\x80"), pool.find("\xC3\x80"));  // A + U+0300
  EXPECT_FALSE(trie.Find("A"));
}

TEST(CharsmapCompilerTest, DecompileInvertsCompile) {
  absl::StatusOr<std::string> blob = CompileCharsMap(SampleRules());
  ASSERT_TRUE(blob.ok()) << blob.status();
  absl::StatusOr<NormalizationRules> rules = DecompileCharsMap(*blob);
  ASSERT_TRUE(rules.ok()) << rules.status();
  EXPECT_EQ(*rules, SampleRules());
}

TEST(CharsmapCompilerTest, Utf8FormEqualsCodepointForm) {
  const std::map<std::string, std::string> utf8 = {
      {"\xEF\xBC\xA1", "A"}, {"\xE2\x80\x8B", ""}, {"ab", "c"}};
  const NormalizationRules rules = {
      {U"\uFF21", U"A"}, {U"\u200B", U""}, {U"ab", U"c"}};
  EXPECT_EQ(CompileCharsMapFromUtf8(utf8).value(),
            CompileCharsMap(rules).value());
  ExpectError(CompileCharsMapFromUtf8({{"\xC3", "a"}}),
              absl::StatusCode::kInvalidArgument, "not valid UTF-8");
}

TEST(CharsmapCompilerTest, RejectsEmptyRules) {
  ExpectError(CompileCharsMap({}), absl::StatusCode::kInvalidArgument,
              "empty set of normalization rules");
}

TEST(CharsmapCompilerTest, RejectsEmptySource) {
  ExpectError(CompileCharsMap({{U"", U"a"}}),
              absl::StatusCode::kInvalidArgument, "empty source");
}

TEST(CharsmapCompilerTest, RejectsSurrogates) {
  ExpectError(CompileCharsMap({{U"a", std::u32string(1, 0xD800)}}),
              absl::StatusCode::kInvalidArgument, "target U+D800");
  ExpectError(CompileCharsMap({{std::u32string(1, 0xDFFF), U"a"}}),
              absl::StatusCode::kInvalidArgument, "source U+DFFF");
}

TEST(CharsmapCompilerTest, RejectsNulInSource) {
  ExpectError(CompileCharsMap({{std::u32string(U"a\0b", 3), U"x"}}),
              absl::StatusCode::kInvalidArgument, "contains U+0000");
}

// A NUL in a target is copied into the pool; readers stop at it.
TEST(CharsmapCompilerTest, NulInTargetIsKeptInPool) {
  const NormalizationRules rules = {{U"a", std::u32string(U"x\0y", 3)}};
  absl::StatusOr<std::string> blob = CompileCharsMap(rules);
  ASSERT_TRUE(blob.ok()) << blob.status();
  EXPECT_EQ(blob->substr(4 + ReadHeader(*blob)), std::string("x\0y\0", 4));
  absl::StatusOr<NormalizationRules> back = DecompileCharsMap(*blob);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, (NormalizationRules{{U"a", U"x"}}));
}

// Above U+10FFFF is written as U+FFFD, so two sources can share a key: the
// trie keeps the one whose target comes first in the pool. Both targets stay
// in the pool.
TEST(CharsmapCompilerTest, CodepointsAboveUnicodeBecomeReplacementChar) {
  const NormalizationRules rules = {{std::u32string(1, 0x110000), U"b"},
                                    {U"\uFFFD", U"a"}};
  absl::StatusOr<std::string> blob = CompileCharsMap(rules);
  ASSERT_TRUE(blob.ok()) << blob.status();
  EXPECT_EQ(blob->substr(4 + ReadHeader(*blob)), std::string("a\0b\0", 4));
  absl::StatusOr<NormalizationRules> back = DecompileCharsMap(*blob);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, (NormalizationRules{{U"\uFFFD", U"a"}}));
}

NormalizationRules NestedRules(int depth) {
  NormalizationRules rules;
  std::u32string source;
  for (int i = 1; i <= depth; ++i) {
    source.push_back(U'a');
    rules.emplace(source, U"b");
  }
  return rules;
}

TEST(CharsmapCompilerTest, SharedPrefixLimit) {
  EXPECT_TRUE(CompileCharsMap(NestedRules(31)).ok());
  ExpectError(CompileCharsMap(NestedRules(32)),
              absl::StatusCode::kInvalidArgument,
              "This charmaps contain many shared prefix. The number of "
              "shared prefix must be less than 32");
}

TEST(CharsmapCompilerTest, DecompileRejectsBrokenBlobs) {
  for (const std::string& blob : {
           Bytes({}), Bytes({0, 0, 0}), Bytes({0, 0, 0, 0}),
           Bytes({8, 0, 0, 0, 'a', 'b', 'c', 'd'}),  // trie == blob size
           Bytes({6, 0, 0, 0, 'a', 'b', 'c', 'd'}),  // trie past the end
       }) {
    absl::StatusOr<NormalizationRules> rules = DecompileCharsMap(blob);
    ASSERT_FALSE(rules.ok()) << blob.size();
    EXPECT_EQ(rules.status().code(), absl::StatusCode::kDataLoss);
    EXPECT_EQ(rules.status().message(),
              "Blob for normalization rule is broken.");
  }
}

TEST(CharsmapCompilerTest, DecompileRejectsValueOutsidePool) {
  absl::StatusOr<std::string> blob =
      CompileCharsMap({{U"a", U""}, {U"b", U"long target"}});
  ASSERT_TRUE(blob.ok()) << blob.status();
  // Keep no pool at all: the value 0 of "a" still reads as "" (the end of
  // the blob), the value 1 of "b" is out of range.
  const std::string truncated = blob->substr(0, 4 + ReadHeader(*blob));
  absl::StatusOr<NormalizationRules> rules = DecompileCharsMap(truncated);
  ASSERT_FALSE(rules.ok());
  EXPECT_EQ(rules.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(std::string(rules.status().message()),
              HasSubstr("outside the target pool"));
}

// A pool whose last target lacks its NUL still decompiles (the reference
// reads up to the end of the blob).
TEST(CharsmapCompilerTest, DecompileToleratesMissingFinalNul) {
  absl::StatusOr<std::string> blob = CompileCharsMap({{U"a", U"xyz"}});
  ASSERT_TRUE(blob.ok()) << blob.status();
  blob->pop_back();
  absl::StatusOr<NormalizationRules> rules = DecompileCharsMap(*blob);
  ASSERT_TRUE(rules.ok()) << rules.status();
  EXPECT_EQ(*rules, (NormalizationRules{{U"a", U"xyz"}}));
}

// A root whose child for byte 1 is the root itself: an endless path.
TEST(CharsmapCompilerTest, DecompileRejectsCyclicTrie) {
  const std::string blob = Bytes({4, 0, 0, 0, 0x01, 0x04, 0, 0, 0});
  absl::StatusOr<NormalizationRules> rules = DecompileCharsMap(blob);
  ASSERT_FALSE(rules.ok());
  EXPECT_EQ(rules.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(std::string(rules.status().message()), HasSubstr("deeper"));
}

TEST(CharsmapCompilerTest, DecompileOfEmptyTrieIsEmpty) {
  absl::StatusOr<NormalizationRules> rules =
      DecompileCharsMap(Bytes({0, 0, 0, 0, 0}));
  ASSERT_TRUE(rules.ok()) << rules.status();
  EXPECT_TRUE(rules->empty());
}

}  // namespace
}  // namespace sentencepiece
