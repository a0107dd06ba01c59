#include <algorithm>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "common/double_array.h"
#include "common/double_array_builder.h"
#include "gtest/gtest.h"

namespace sentencepiece {
namespace {

std::vector<std::pair<std::string_view, uint32_t>> Keys(const std::map<std::string, uint32_t>& m) {
  return std::vector<std::pair<std::string_view, uint32_t>>(m.begin(), m.end());
}

TEST(DoubleArrayTest, ExactAndPrefixSearchAgreeWithAMap) {
  std::mt19937 rng(42);
  std::map<std::string, uint32_t> m;
  // Random keys over a small alphabet so that they share many prefixes,
  // plus multi-byte characters.
  const std::string alphabet[] = {"a", "b", "c", "\xE2\x96\x81", "\xC3\xA9", "\xFF"};
  for (int i = 0; i < 3000; ++i) {
    std::string k;
    const int len = 1 + rng() % 6;
    for (int j = 0; j < len; ++j) k += alphabet[rng() % 6];
    m.emplace(k, i);
  }
  auto da = BuildDoubleArray(Keys(m));
  ASSERT_TRUE(da.ok()) << da.status();

  for (int i = 0; i < 3000; ++i) {
    std::string q;
    const int len = rng() % 8;
    for (int j = 0; j < len; ++j) q += alphabet[rng() % 6];
    auto it = m.find(q);
    EXPECT_EQ(da->ExactMatch(q), it == m.end() ? -1 : static_cast<int>(it->second)) << q;

    std::vector<std::pair<size_t, int>> expected, actual;
    for (size_t n = 1; n <= q.size(); ++n) {
      auto p = m.find(q.substr(0, n));
      if (p != m.end()) expected.emplace_back(n, p->second);
    }
    da->CommonPrefixSearch(q, [&](size_t n, int v) {
      actual.emplace_back(n, v);
      return true;
    });
    EXPECT_EQ(actual, expected) << q;
  }
}

TEST(DoubleArrayTest, SortKeysMatchesStdSort) {
  std::mt19937 rng(7);
  for (int round = 0; round < 50; ++round) {
    std::vector<std::string> storage;
    const int n = 1 + static_cast<int>(rng() % 3000);
    // Few distinct bytes, shared long prefixes and lengths around 8, 16
    // and 24 to exercise the radix passes, the skipped ones and the tie
    // runs, settled 8 bytes at a time (equal keys by index).
    const std::string prefix = round % 4 == 0 ? std::string(21, 'q')
                               : round % 2 ? "\xE2\x96\x81" "ab"
                                           : "";
    for (int i = 0; i < n; ++i) {
      std::string s = prefix;
      const int len = 1 + static_cast<int>(rng() % (round % 4 ? 14 : 30));
      for (int j = 0; j < len; ++j) s.push_back(static_cast<char>(1 + rng() % (round % 3 ? 4 : 255)));
      storage.push_back(s);
    }
    std::vector<std::pair<std::string_view, uint32_t>> keys, expected;
    for (size_t i = 0; i < storage.size(); ++i) keys.emplace_back(storage[i], static_cast<uint32_t>(i));
    expected = keys;
    std::stable_sort(expected.begin(), expected.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    SortKeys(&keys);
    ASSERT_EQ(keys, expected) << round;
  }
}

TEST(DoubleArrayTest, NulByteInTextNeverMatches) {
  // With a single key "\x01" the first free slot gives the root's children
  // base 0 unless base 0 is reserved; then a NUL byte would step from the
  // root back to the root (whose label is 0) and "\0\x01" would match.
  std::vector<std::pair<std::string_view, uint32_t>> keys = {{"\x01", 7}};
  auto da = BuildDoubleArray(keys);
  ASSERT_TRUE(da.ok());
  EXPECT_EQ(da->ExactMatch("\x01"), 7);
  int matches = 0;
  da->CommonPrefixSearch(std::string("\0\x01", 2), [&](size_t, int) {
    ++matches;
    return true;
  });
  EXPECT_EQ(matches, 0);
  EXPECT_EQ(da->ExactMatch(std::string("\0\x01", 2)), -1);
}

TEST(DoubleArrayTest, RejectsBadKeySets) {
  std::vector<std::pair<std::string_view, uint32_t>> unsorted = {{"b", 1}, {"a", 2}};
  EXPECT_FALSE(BuildDoubleArray(unsorted).ok());
  std::vector<std::pair<std::string_view, uint32_t>> dup = {{"a", 1}, {"a", 2}};
  EXPECT_FALSE(BuildDoubleArray(dup).ok());
  std::vector<std::pair<std::string_view, uint32_t>> empty_key = {{"", 1}};
  EXPECT_FALSE(BuildDoubleArray(empty_key).ok());
  const std::string with_nul("a\0b", 3);
  std::vector<std::pair<std::string_view, uint32_t>> nul = {{with_nul, 1}};
  EXPECT_FALSE(BuildDoubleArray(nul).ok());
}

TEST(DoubleArrayTest, CorruptUnitsNeverReadOutOfBounds) {
  // Arbitrary units: every lookup must stay in bounds (run under ASan) and
  // simply fail or succeed.
  std::mt19937 rng(7);
  for (int trial = 0; trial < 200; ++trial) {
    std::vector<uint32_t> units(1 + rng() % 40);
    for (uint32_t& u : units) u = rng();
    DoubleArray da(units);
    const std::string q = "\x01\x02\x03\x80\xFF" + std::to_string(trial);
    da.CommonPrefixSearch(q, [](size_t, int) { return true; });
    da.ExactMatch(q);
  }
  DoubleArray empty;
  EXPECT_EQ(empty.ExactMatch("a"), -1);
}

}  // namespace
}  // namespace sentencepiece
