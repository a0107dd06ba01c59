#include "common/id_text.h"

#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace sentencepiece {
namespace {

// What the reference prints: decimal ids joined by spaces, then a newline.
std::string Joined(const std::vector<int>& ids) {
  std::string s;
  for (size_t i = 0; i < ids.size(); ++i) {
    if (i > 0) s += ' ';
    s += std::to_string(ids[i]);
  }
  return s + '\n';
}

TEST(IdTextTest, EveryDigitCount) {
  const auto text = std::make_unique<IdText>();  // (40 KB: not on the stack.)
  std::vector<int> ids;
  // Around each power of ten, and the extremes.
  for (int64_t p = 1; p <= std::numeric_limits<int>::max(); p *= 10) {
    for (int64_t v : {p - 1, p, p + 1, 2 * p - 1, 5 * p + 3}) {
      if (v >= 0 && v <= std::numeric_limits<int>::max()) ids.push_back(static_cast<int>(v));
    }
  }
  ids.push_back(std::numeric_limits<int>::max());
  std::string out = "prefix ";
  text->Append(ids, &out);
  EXPECT_EQ(out, "prefix " + Joined(ids));
}

// The digit count comes from the bit length: every id below 2^17 (any
// real vocabulary), and around each power of two.
TEST(IdTextTest, EveryBitLength) {
  const auto text = std::make_unique<IdText>();
  std::vector<int> ids;
  for (int v = 0; v < (1 << 17); ++v) ids.push_back(v);
  for (int k = 17; k < 31; ++k) {
    for (int64_t v : {(int64_t{1} << k) - 1, int64_t{1} << k, (int64_t{1} << k) + 1}) {
      ids.push_back(static_cast<int>(v));
    }
  }
  std::string out;
  text->Append(ids, &out);
  EXPECT_EQ(out, Joined(ids));
}

TEST(IdTextTest, EmptyLineAndLongLine) {
  const auto text = std::make_unique<IdText>();
  std::string out;
  text->Append({}, &out);
  EXPECT_EQ(out, "\n");
  // More ids than one chunk, with varied lengths.
  std::vector<int> ids;
  uint32_t x = 12345;
  for (int i = 0; i < 20000; ++i) {
    x = x * 1103515245u + 12345u;
    ids.push_back(static_cast<int>((x >> 8) % (i % 7 == 0 ? 2000000000u : 40000u)));
  }
  out.clear();
  text->Append(ids, &out);
  EXPECT_EQ(out, Joined(ids));
}

// `ids` through `table` as an encoder writes them (each store reaches 8
// bytes from its id's start, into the next id's place), the last space
// made the newline.
std::string TablePrinted(const IdTextTable& table, const std::vector<int>& ids) {
  std::string out(8 * ids.size() + 8, '#');
  char* p = out.data();
  for (int id : ids) p = table.PutWithSpace(p, static_cast<uint32_t>(id));
  out.resize(static_cast<size_t>(p - out.data()));
  out.back() = '\n';
  return out;
}

// Every id of the largest vocabulary the table takes.
TEST(IdTextTableTest, EveryIdAsToString) {
  const IdTextTable table(IdTextTable::kMaxSize);
  ASSERT_EQ(table.size(), IdTextTable::kMaxSize);
  std::vector<int> ids(IdTextTable::kMaxSize);
  for (size_t i = 0; i < ids.size(); ++i) ids[i] = static_cast<int>(i);
  EXPECT_EQ(TablePrinted(table, ids), Joined(ids));
}

// A small table, its ids in a random order.
TEST(IdTextTableTest, SmallVocabulary) {
  const IdTextTable table(300);
  std::vector<int> ids;
  uint32_t x = 7;
  for (int i = 0; i < 1000; ++i) {
    x = x * 1103515245u + 12345u;
    ids.push_back(static_cast<int>((x >> 8) % 300));
  }
  EXPECT_EQ(TablePrinted(table, ids), Joined(ids));
}

}  // namespace
}  // namespace sentencepiece
