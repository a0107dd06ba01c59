#include "common/flat_trie.h"

#include <algorithm>
#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

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

// The trie of `m`'s keys, handed over in a shuffled order (Build() sorts).
std::unique_ptr<FlatTrie> Build(const std::map<std::string, uint32_t>& m) {
  std::vector<std::pair<std::string_view, uint32_t>> keys(m.begin(), m.end());
  std::shuffle(keys.begin(), keys.end(), std::mt19937(1));
  return FlatTrie::Build(std::move(keys));
}

// Calls fn(query) for random queries over `alphabet`, some with a NUL byte.
template <typename Fn>
void ForRandomQueries(const std::vector<std::string>& alphabet, int n, std::mt19937* rng, Fn fn) {
  for (int i = 0; i < n; ++i) {
    std::string q;
    const int len = static_cast<int>((*rng)() % 10);
    for (int j = 0; j < len; ++j) {
      q += (*rng)() % 17 == 0 ? std::string(1, '\0') : alphabet[(*rng)() % alphabet.size()];
    }
    fn(q);
  }
}

std::vector<std::pair<size_t, int>> PrefixesFromTrie(const FlatTrie& trie, const std::string& q) {
  std::vector<std::pair<size_t, int>> out;
  trie.CommonPrefixSearch(q, [&](size_t n, int v) {
    out.emplace_back(n, v);
    return true;
  });
  return out;
}

TEST(FlatTrieTest, PrefixSearchAgreesWithAMap) {
  std::mt19937 rng(7);
  std::map<std::string, uint32_t> m;
  // A small alphabet so that keys share prefixes; multi-byte characters and
  // the bytes at both ends of the range. Values up to the largest the
  // layout holds.
  const std::vector<std::string> alphabet = {"a", "b", "\x01", "\xE2\x96\x81", "\xC3\xA9", "\xFF"};
  for (int i = 0; i < 5000; ++i) {
    std::string k;
    const int len = 1 + rng() % 7;
    for (int j = 0; j < len; ++j) k += alphabet[rng() % 6];
    m.emplace(k, i % 2 == 0 ? i : (1u << 23) - 1 - i);
  }
  const auto trie = Build(m);
  ASSERT_NE(trie, nullptr);
  // Queries over the same alphabet, and with a NUL byte, which no key has.
  ForRandomQueries(alphabet, 5000, &rng, [&](const std::string& q) {
    EXPECT_EQ(PrefixesFromTrie(*trie, q), PrefixesFromMap(m, q)) << q;
  });
}

// Nodes with many children (every byte value but NUL below one prefix)
// next to long chains, as in a vocabulary of byte pieces and words.
TEST(FlatTrieTest, WideAndDeepNodesAgreeWithAMap) {
  std::mt19937 rng(11);
  std::map<std::string, uint32_t> m;
  std::vector<std::string> alphabet;
  for (int b = 1; b < 256; ++b) alphabet.push_back(std::string(1, static_cast<char>(b)));
  for (int b = 1; b < 256; ++b) {
    m.emplace(std::string(1, static_cast<char>(b)), b);
    m.emplace(std::string("x") + static_cast<char>(b), 1000 + b);
  }
  for (int i = 0; i < 20000; ++i) {
    std::string k;
    const int len = 1 + rng() % 24;
    for (int j = 0; j < len; ++j) k += alphabet[rng() % (j < 2 ? 255 : 8)];
    m.emplace(k, 5000 + i);
  }
  const auto trie = Build(m);
  ASSERT_NE(trie, nullptr);
  for (const auto& [key, value] : m) {
    const auto found = PrefixesFromTrie(*trie, key);
    ASSERT_FALSE(found.empty()) << key;
    EXPECT_EQ(found.back(), std::make_pair(key.size(), static_cast<int>(value))) << key;
  }
  ForRandomQueries(alphabet, 20000, &rng, [&](const std::string& q) {
    EXPECT_EQ(PrefixesFromTrie(*trie, q), PrefixesFromMap(m, q)) << q;
  });
}

TEST(FlatTrieTest, NoKeysIsATrieWithoutSteps) {
  const auto trie = FlatTrie::Build({});
  ASSERT_NE(trie, nullptr);
  FlatTrie::Cursor at = trie->root();
  for (int c = 0; c < 256; ++c) EXPECT_FALSE(trie->Step(&at, static_cast<unsigned char>(c))) << c;
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
}

TEST(FlatTrieTest, RefusesKeysItCannotWalkTo) {
  using Keys = std::vector<std::pair<std::string_view, uint32_t>>;
  EXPECT_EQ(FlatTrie::Build(Keys{{"", 1}}), nullptr);
  EXPECT_EQ(FlatTrie::Build(Keys{{"a", 1}, {"", 2}}), nullptr);
  EXPECT_EQ(FlatTrie::Build(Keys{{"ab", 1}, {"ab", 2}}), nullptr);
  EXPECT_EQ(FlatTrie::Build(Keys{{"b", 1}, {"ab", 2}, {"ab", 3}}), nullptr);
  EXPECT_EQ(FlatTrie::Build(Keys{{"a", 1}, {std::string_view("a\0b", 3), 2}}), nullptr);
  EXPECT_NE(FlatTrie::Build(Keys{{"a", 1}, {"ab", 2}}), nullptr);
}

}  // namespace
}  // namespace sentencepiece
