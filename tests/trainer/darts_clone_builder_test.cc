// Unit tests of the Darts-clone builder: input validation and the trie's
// behaviour (every key found with its value, nothing else). Byte equality
// with darts-clone itself is checked in charsmap_reference_test.cc.

#include "trainer/darts_clone_builder.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "trainer/darts_clone_view.h"

namespace sentencepiece {
namespace {

using ::testing::HasSubstr;
using KeyValues = std::vector<std::pair<std::string, uint32_t>>;

std::vector<uint32_t> UnitsOf(const std::string& bytes) {
  std::vector<uint32_t> units(bytes.size() / 4);
  for (size_t i = 0; i < units.size(); ++i) {
    for (int b = 3; b >= 0; --b) {
      units[i] = (units[i] << 8) | uint8_t(bytes[4 * i + b]);
    }
  }
  return units;
}

// Checks that the trie built from `keys` finds exactly these keys.
void ExpectExactKeySet(const KeyValues& keys) {
  absl::StatusOr<std::string> bytes = BuildDartsCloneArray(keys);
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  EXPECT_EQ(bytes->size() % 1024, 0u);  // Whole blocks of 256 units.
  const std::vector<uint32_t> units = UnitsOf(*bytes);
  const internal::DartsCloneView trie(units);

  std::map<std::string, uint32_t> expected(keys.begin(), keys.end());
  for (const auto& [key, value] : keys) {
    EXPECT_EQ(trie.Find(key), value) << key;
    // Every proper prefix is a key iff it was inserted.
    size_t prefixes = 0;
    for (size_t n = 1; n <= key.size(); ++n) {
      const auto it = expected.find(key.substr(0, n));
      if (it != expected.end()) ++prefixes;
      if (n < key.size()) {
        EXPECT_EQ(trie.Find(key.substr(0, n)).has_value(),
                  it != expected.end());
      }
    }
    EXPECT_EQ(trie.CountPrefixMatches(key), prefixes) << key;
    // A longer string that is not a key.
    std::string longer = key + '\x01';
    if (expected.count(longer) == 0) {
      EXPECT_FALSE(trie.Find(longer)) << key;
    }
  }
}

KeyValues RandomKeys(uint32_t seed, int count, int max_length,
                     const std::string& alphabet, uint32_t max_value) {
  std::mt19937 rng(seed);
  std::map<std::string, uint32_t> keys;
  while (keys.size() < static_cast<size_t>(count)) {
    std::string key(1 + rng() % max_length, ' ');
    for (char& c : key) c = alphabet[rng() % alphabet.size()];
    keys[key] = rng() % (max_value + 1);
  }
  return KeyValues(keys.begin(), keys.end());
}

// As in darts-clone, the root of an empty trie keeps its initial base, which
// no node marked as used, so the padding units happen to match every byte:
// the trie holds no keys but has one-byte non-key paths.
TEST(DartsCloneBuilderTest, EmptyKeySetIsOneBlockWithoutKeys) {
  absl::StatusOr<std::string> bytes = BuildDartsCloneArray({});
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  EXPECT_EQ(bytes->size(), 256u * 4);
  const std::vector<uint32_t> units = UnitsOf(*bytes);
  const internal::DartsCloneView trie(units);
  for (int c = 0; c < 256; ++c) {
    const std::string key(1, static_cast<char>(c));
    EXPECT_FALSE(trie.Find(key)) << c;
    EXPECT_EQ(trie.CountPrefixMatches(key + "x"), 0u) << c;
  }
}

TEST(DartsCloneBuilderTest, SingleKey) { ExpectExactKeySet({{"a", 7}}); }

TEST(DartsCloneBuilderTest, NestedKeysAndExtremeValues) {
  ExpectExactKeySet({{"a", 0},
                     {"ab", 0x7FFFFFFF},
                     {"abc", 1},
                     {"abd", 0},
                     {"b", 42},
                     {"\x7F", 3},
                     {"\x80", 4},
                     {"\xFF\xFF", 5}});
}

TEST(DartsCloneBuilderTest, SharedSuffixesWithEqualValues) {
  // Identical subtrees under different prefixes are merged in the DAWG;
  // lookups must still resolve per key.
  KeyValues keys;
  for (char head = 'a'; head <= 'z'; ++head) {
    for (const char* tail : {"", "ing", "ion", "ions"}) {
      keys.emplace_back(std::string(1, head) + "x" + tail,
                        std::string(tail).size());
    }
  }
  std::sort(keys.begin(), keys.end());
  ExpectExactKeySet(keys);
}

TEST(DartsCloneBuilderTest, RandomKeySets) {
  for (uint32_t seed = 1; seed <= 20; ++seed) {
    SCOPED_TRACE(seed);
    ExpectExactKeySet(RandomKeys(seed, 50 * seed, 8, "abcd\xC3\xA9\xFF", 5));
  }
}

TEST(DartsCloneBuilderTest, LargeKeySetSpansManyBlocks) {
  std::string alphabet;
  for (int c = 1; c < 256; c += 3) alphabet += static_cast<char>(c);
  const KeyValues keys = RandomKeys(99, 20000, 6, alphabet, 1000000);
  absl::StatusOr<std::string> bytes = BuildDartsCloneArray(keys);
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  EXPECT_GT(bytes->size(), 16u * 1024);  // Beyond the placement window.
  ExpectExactKeySet(keys);
}

// Depth is only limited by memory (no recursion over key bytes).
TEST(DartsCloneBuilderTest, VeryLongKeys) {
  const KeyValues keys = {{std::string(200000, 'a'), 1},
                          {std::string(100000, 'b') + "c", 2},
                          {std::string(100000, 'b') + "d", 3}};
  absl::StatusOr<std::string> bytes = BuildDartsCloneArray(keys);
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  const std::vector<uint32_t> units = UnitsOf(*bytes);
  const internal::DartsCloneView trie(units);
  for (const auto& [key, value] : keys) {
    EXPECT_EQ(trie.Find(key), value);
    EXPECT_EQ(trie.CountPrefixMatches(key), 1u);
    EXPECT_FALSE(trie.Find(key.substr(0, key.size() - 1)));
  }
}

TEST(DartsCloneBuilderTest, Deterministic) {
  const KeyValues keys = RandomKeys(5, 300, 5, "xyz", 9);
  EXPECT_EQ(BuildDartsCloneArray(keys).value(),
            BuildDartsCloneArray(keys).value());
}

TEST(DartsCloneBuilderTest, BytesAreLittleEndianUnits) {
  const KeyValues keys = RandomKeys(6, 100, 4, "pqrs", 100);
  absl::StatusOr<std::string> bytes = BuildDartsCloneArray(keys);
  absl::StatusOr<std::vector<uint32_t>> units =
      internal::BuildDartsCloneUnits(keys);
  ASSERT_TRUE(bytes.ok() && units.ok());
  EXPECT_EQ(UnitsOf(*bytes), *units);
}

void ExpectInvalid(const KeyValues& keys, const std::string& message) {
  absl::StatusOr<std::string> bytes = BuildDartsCloneArray(keys);
  ASSERT_FALSE(bytes.ok());
  EXPECT_EQ(bytes.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(bytes.status().message()), HasSubstr(message));
}

TEST(DartsCloneBuilderTest, RejectsUnsortedKeys) {
  ExpectInvalid({{"b", 0}, {"a", 0}}, "key #1 is not greater");
  ExpectInvalid({{"ab", 0}, {"a", 0}}, "key #1 is not greater");
  // Bytes compare as unsigned: 0x80 sorts after 0x7F.
  ExpectInvalid({{"\x80", 0}, {"\x7F", 0}}, "key #1 is not greater");
}

TEST(DartsCloneBuilderTest, RejectsDuplicateKeys) {
  ExpectInvalid({{"a", 0}, {"b", 1}, {"b", 1}}, "key #2 is not greater");
}

TEST(DartsCloneBuilderTest, RejectsEmptyKey) {
  ExpectInvalid({{"", 0}, {"a", 0}}, "key #0 is empty");
}

TEST(DartsCloneBuilderTest, RejectsNulInKey) {
  ExpectInvalid({{"a", 0}, {std::string("b\0c", 3), 0}},
                "key #1 contains a NUL byte");
}

TEST(DartsCloneBuilderTest, RejectsValueAbove31Bits) {
  ExpectInvalid({{"a", 0x80000000u}}, "does not fit in 31 bits");
}

}  // namespace
}  // namespace sentencepiece
