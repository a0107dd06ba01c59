#include "common/flat_trie.h"

#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "common/double_array_builder.h"
#include "gtest/gtest.h"

namespace sentencepiece {
namespace {

// The keys of `m` that are prefixes of `q`, shortest first, with values.
std::vector<std::pair<size_t, int>> PrefixesFromMap(const std::map<std::string, uint32_t>& m,
                                                    const std::string& q) {
  std::vector<std::pair<size_t, int>> out;
  for (size_t len = 1; len <= q.size(); ++len) {
    auto it = m.find(q.substr(0, len));
    if (it != m.end()) out.emplace_back(len, static_cast<int>(it->second));
  }
  return out;
}

std::unique_ptr<FlatTrie> Build(const std::map<std::string, uint32_t>& m) {
  const std::vector<std::pair<std::string_view, uint32_t>> keys(m.begin(), m.end());
  auto da = BuildDoubleArray(keys);
  if (!da.ok()) return nullptr;
  return FlatTrie::From(*da);
}

TEST(FlatTrieTest, PrefixSearchAgreesWithAMap) {
  std::mt19937 rng(7);
  std::map<std::string, uint32_t> m;
  // A small alphabet so that keys share prefixes; multi-byte characters and
  // the bytes at both ends of the range. Values up to the largest the
  // layout holds.
  const std::string alphabet[] = {"a", "b", "\x01", "\xE2\x96\x81", "\xC3\xA9", "\xFF"};
  for (int i = 0; i < 5000; ++i) {
    std::string k;
    const int len = 1 + rng() % 7;
    for (int j = 0; j < len; ++j) k += alphabet[rng() % 6];
    m.emplace(k, i % 2 == 0 ? i : (1u << 23) - 1 - i);
  }
  const auto trie = Build(m);
  ASSERT_NE(trie, nullptr);
  // Queries over the same alphabet, and with a NUL byte, which no key has.
  for (int i = 0; i < 5000; ++i) {
    std::string q;
    const int len = rng() % 10;
    for (int j = 0; j < len; ++j) q += rng() % 17 == 0 ? std::string(1, '\0') : alphabet[rng() % 6];
    std::vector<std::pair<size_t, int>> actual;
    trie->CommonPrefixSearch(q, [&](size_t n, int v) {
      actual.emplace_back(n, v);
      return true;
    });
    EXPECT_EQ(actual, PrefixesFromMap(m, q)) << i;
  }
}

TEST(FlatTrieTest, StepFollowsOnlyKeyBytes) {
  const std::map<std::string, uint32_t> m = {{"ab", 3}, {"abc", 4}, {"b", 5}};
  const auto trie = Build(m);
  ASSERT_NE(trie, nullptr);
  FlatTrie::Cursor at = trie->root();
  ASSERT_FALSE(trie->Step(&at, 'c'));
  ASSERT_FALSE(trie->Step(&at, '\0'));
  ASSERT_TRUE(trie->Step(&at, 'a'));
  EXPECT_FALSE(FlatTrie::HasValue(at));
  ASSERT_TRUE(trie->Step(&at, 'b'));
  ASSERT_TRUE(FlatTrie::HasValue(at));
  EXPECT_EQ(trie->Value(at), 3);
  // A failed step leaves the walk where it was.
  ASSERT_FALSE(trie->Step(&at, 'b'));
  ASSERT_TRUE(trie->Step(&at, 'c'));
  EXPECT_EQ(trie->Value(at), 4);
}

TEST(FlatTrieTest, RefusesValuesTheLayoutCannotHold) {
  EXPECT_EQ(Build({{"a", 1u << 23}}), nullptr);
  EXPECT_NE(Build({{"a", (1u << 23) - 1}}), nullptr);
  EXPECT_EQ(FlatTrie::From(DoubleArray()), nullptr);
}

}  // namespace
}  // namespace sentencepiece
