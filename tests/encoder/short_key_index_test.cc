#include "encoder/short_key_index.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace sentencepiece {
namespace {

// Keys of every length from 1 to 8 that differ only in their length (a
// trailing zero byte), in one byte anywhere, or by the overlap of Pack()'s
// two 4-byte reads.
std::vector<std::string> TrickyKeys() {
  std::vector<std::string> keys;
  for (size_t n = 1; n <= ShortKeyIndex::kMaxKeyBytes; ++n) {
    keys.push_back(std::string(n, 'a'));
    keys.push_back(std::string(n - 1, 'a') + '\0');
    keys.push_back(std::string(n, '\0'));
    for (size_t i = 0; i < n; ++i) {
      std::string k(n, 'a');
      k[i] = 'b';
      keys.push_back(k);
      k[i] = '\xFF';
      keys.push_back(k);
    }
  }
  return keys;
}

TEST(ShortKeyIndexTest, FindsEveryKeyAndNothingElse) {
  const std::vector<std::string> keys = TrickyKeys();
  ShortKeyIndex index;
  EXPECT_EQ(index.Find("a"), -1);  // Empty.
  int id = 0;
  std::vector<std::string> stored;
  for (size_t i = 0; i < keys.size(); i += 2) {  // Every other key; the rest stay absent.
    if (index.Insert(keys[i], id)) {
      stored.push_back(keys[i]);
      ++id;
    }
  }
  for (size_t i = 0; i < stored.size(); ++i) EXPECT_EQ(index.Find(stored[i]), static_cast<int>(i));
  for (const std::string& k : keys) {
    bool in = false;
    for (const std::string& s : stored) in = in || s == k;
    if (!in) {
      EXPECT_EQ(index.Find(k), -1) << k.size();
    }
  }
}

TEST(ShortKeyIndexTest, KeepsTheFirstIdOfAKeyAndGrows) {
  ShortKeyIndex index;
  index.Reserve(4);
  EXPECT_TRUE(index.Insert("dup", 7));
  EXPECT_FALSE(index.Insert("dup", 9));
  EXPECT_EQ(index.Find("dup"), 7);
  // Far more keys than reserved: the index grows and keeps them all.
  for (int i = 0; i < 5000; ++i) ASSERT_TRUE(index.Insert("k" + std::to_string(i), i));
  for (int i = 0; i < 5000; ++i) ASSERT_EQ(index.Find("k" + std::to_string(i)), i);
  EXPECT_EQ(index.Find("dup"), 7);
  EXPECT_EQ(index.Find("k5000"), -1);
}

}  // namespace
}  // namespace sentencepiece
