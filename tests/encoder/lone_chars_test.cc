// LoneChars: entries filled on first sight, and the bitmap of marked
// unknown three-byte characters that SegmentText()'s unknown runs test.

#include "encoder/lone_chars.h"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string_view>

#include "gtest/gtest.h"

namespace sentencepiece {
namespace {

LoneChars::Segment Unknown(float score) {
  LoneChars::Segment s;
  s.id = 0;
  s.unknown = true;
  s.score = score;
  return s;
}

TEST(LoneCharsTest, EntriesAreComputedOnceAndKept) {
  const LoneChars lone(/*uid=*/7);
  EXPECT_EQ(lone.uid(), 7u);
  int calls = 0;
  auto compute = [&calls](std::string_view) -> std::optional<LoneChars::Segment> {
    ++calls;
    LoneChars::Segment s;
    s.id = 42;
    s.score = -3.5f;
    return s;
  };
  LoneChars::Segment seg;
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(lone.Get(0x4E2D, "\xE4\xB8\xAD", compute, &seg));
    EXPECT_EQ(seg.id, 42);
    EXPECT_FALSE(seg.unknown);
    EXPECT_EQ(seg.score, -3.5f);
  }
  EXPECT_EQ(calls, 1);
  // None: the character goes the general way, also remembered.
  auto none = [&calls](std::string_view) -> std::optional<LoneChars::Segment> {
    ++calls;
    return std::nullopt;
  };
  EXPECT_FALSE(lone.Get(0x6587, "\xE6\x96\x87", none, &seg));
  EXPECT_FALSE(lone.Get(0x6587, "\xE6\x96\x87", none, &seg));
  EXPECT_EQ(calls, 2);
}

TEST(LoneCharsTest, MarksUnknownCharactersOfTheFirstMarkedScore) {
  const LoneChars lone(1);
  float score = 1.0f;
  EXPECT_FALSE(lone.MarkedScore(&score));  // None marked yet.
  lone.MarkUnknown3(0x4E2D, Unknown(-17.25f));
  ASSERT_TRUE(lone.MarkedScore(&score));
  EXPECT_EQ(score, -17.25f);
  EXPECT_TRUE(lone.IsMarkedUnknown3(0x4E2D));
  // Its neighbours in the bitmap are not.
  EXPECT_FALSE(lone.IsMarkedUnknown3(0x4E2C));
  EXPECT_FALSE(lone.IsMarkedUnknown3(0x4E2E));
  // Another with the same score is; one with another score is not, and
  // the run score stays.
  lone.MarkUnknown3(0x3042, Unknown(-17.25f));
  lone.MarkUnknown3(0x3044, Unknown(-9.0f));
  EXPECT_TRUE(lone.IsMarkedUnknown3(0x3042));
  EXPECT_FALSE(lone.IsMarkedUnknown3(0x3044));
  ASSERT_TRUE(lone.MarkedScore(&score));
  EXPECT_EQ(score, -17.25f);
  // Known, wide (a double score) and +0.0 segments are never marked.
  LoneChars::Segment known = Unknown(-17.25f);
  known.unknown = false;
  lone.MarkUnknown3(0x3046, known);
  LoneChars::Segment wide = Unknown(-17.25f);
  wide.wide = true;
  lone.MarkUnknown3(0x3048, wide);
  EXPECT_FALSE(lone.IsMarkedUnknown3(0x3046));
  EXPECT_FALSE(lone.IsMarkedUnknown3(0x3048));
  const LoneChars fresh(2);
  fresh.MarkUnknown3(0x304A, Unknown(0.0f));
  EXPECT_FALSE(fresh.MarkedScore(&score));
  EXPECT_FALSE(fresh.IsMarkedUnknown3(0x304A));
  // Marking again changes nothing.
  lone.MarkUnknown3(0x4E2D, Unknown(-17.25f));
  EXPECT_TRUE(lone.IsMarkedUnknown3(0x4E2D));
  ASSERT_TRUE(lone.MarkedScore(&score));
  EXPECT_EQ(score, -17.25f);
  // The (row, bit) form tests the same bit.
  EXPECT_TRUE(lone.IsMarkedUnknown3(0x4E2D >> 6, 0x4E2D & 63));
  EXPECT_FALSE(lone.IsMarkedUnknown3(0x4E2C >> 6, 0x4E2C & 63));
}

// SegmentText()'s unknown runs add a marked score to the path score in
// float, where the model adds in double and stores a float: the same
// number, double rounding of a sum of two floats being innocuous (53 >=
// 2 * 24 + 2 bits). Checked over scores of every magnitude, subnormals,
// signed zeros and sums that overflow included.
TEST(LoneCharsTest, FloatSumsEqualDoubleSumsStoredAsFloat) {
  uint64_t state = 0x9E3779B97F4A7C15ull;
  auto next_float = [&state] {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    const auto bits = static_cast<uint32_t>(state >> 32);
    float f;
    std::memcpy(&f, &bits, sizeof(f));
    return f;
  };
  const float fixed[] = {0.0f, -0.0f, 1.0f, -17.25f, 1e-45f, -1e-45f, 3.4e38f, -3.4e38f,
                         1e-38f, 16777216.0f, 0.1f, -1e7f};
  size_t checked = 0;
  for (int i = 0; i < 2000000; ++i) {
    float a = next_float();
    float b = i % 4 == 0 ? fixed[i / 4 % (sizeof(fixed) / sizeof(fixed[0]))] : next_float();
    if (i % 3 == 0) b = a * 1e-3f;  // Close magnitudes: carries and cancellation.
    if (std::isnan(a) || std::isnan(b)) continue;
    const float want = static_cast<float>(static_cast<double>(a) + static_cast<double>(b));
    volatile float x = a;  // Kept a float add, not folded.
    const float got = x + b;
    ASSERT_EQ(std::memcmp(&want, &got, sizeof(float)), 0) << a << " + " << b;
    ++checked;
  }
  EXPECT_GT(checked, 1900000u);
}

}  // namespace
}  // namespace sentencepiece
