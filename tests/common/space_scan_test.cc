#include "common/space_scan.h"

#include <cstddef>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "gtest/gtest.h"

namespace sentencepiece {
namespace {

// The spaces of text[begin, end), byte by byte.
std::vector<size_t> SpacesOf(std::string_view text, size_t begin, size_t end) {
  std::vector<size_t> out;
  for (size_t i = begin; i < end; ++i) {
    if (text[i] == ' ') out.push_back(i);
  }
  return out;
}

TEST(ForEachSpaceTest, FindsEverySpaceOfEveryStretchInOrder) {
  // Texts long enough for every chunk size (64, 16, single bytes) and
  // their mixes, with spaces from none to all, and stretches starting and
  // ending anywhere; each text ends its buffer (ASan sees a read past it).
  std::mt19937 rng(7);
  for (int round = 0; round < 400; ++round) {
    const size_t n = rng() % 300;
    const unsigned density = rng() % 5;  // 0: no spaces ... 4: all spaces.
    std::unique_ptr<char[]> buffer(new char[n + 1]);
    for (size_t i = 0; i < n; ++i) {
      buffer[i] = density > 0 && rng() % 4 < density ? ' ' : static_cast<char>('a' + rng() % 26);
    }
    const std::string_view text(buffer.get(), n);
    const size_t begin = n == 0 ? 0 : rng() % (n + 1);
    const size_t end = begin + (n == begin ? 0 : rng() % (n - begin + 1));
    std::vector<size_t> found;
    EXPECT_TRUE(ForEachSpace(text.data(), begin, end, [&found](size_t i) {
      found.push_back(i);
      return true;
    }));
    EXPECT_EQ(found, SpacesOf(text, begin, end)) << n << " " << begin << " " << end;
  }
}

TEST(ForEachSpaceTest, StopsWhereTheCallbackSaysSo) {
  const std::string text = std::string(70, 'x') + " a b " + std::string(100, ' ');
  const std::vector<size_t> all = SpacesOf(text, 0, text.size());
  for (size_t stop = 0; stop < all.size(); ++stop) {
    std::vector<size_t> found;
    EXPECT_FALSE(ForEachSpace(text.data(), 0, text.size(), [&](size_t i) {
      found.push_back(i);
      return found.size() <= stop;
    }));
    EXPECT_EQ(found, std::vector<size_t>(all.begin(), all.begin() + stop + 1));
  }
}

}  // namespace
}  // namespace sentencepiece
