// Limits on the parameters that could make one call run for hours or
// exhaust memory: n-best sizes, sampling sizes, sample counts; and checks
// that what stays allowed finishes on long input.
//
// Where the reference has a limit we keep its behaviour (NBestEncode clamps
// nbest_size to 1024; SampleEncode refuses nbest_size > 512). The reference
// has none on SampleEncodeAndScore's num_samples: a negative count with
// wor=true asks its A* search for SIZE_MAX paths (it enumerates every
// segmentation, exponentially many), and INT_MAX overflows `samples + 1`.
// Its Python API refuses num_samples <= 0 ("num_examples must be
// positive"); we refuse that in every API, and counts above 1024.

#include <chrono>
#include <climits>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sentencepiece_processor.h"

namespace sentencepiece {
namespace {

using ::testing::HasSubstr;
using util::StatusCode;

std::string ModelPath(const std::string& name) {
  return std::string(SPM_TESTDATA_DIR) + "/models/" + name + ".model";
}

class LimitsTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(sp_.Load(ModelPath("spm_test_model")).ok()); }
  SentencePieceProcessor sp_;
};

// A line with exponentially many segmentations.
std::string LongLine(int words) {
  std::string s;
  for (int i = 0; i < words; ++i) s += "internationalization ";
  return s;
}

TEST_F(LimitsTest, SampleEncodeAndScoreRefusesBadCounts) {
  const std::string text = LongLine(4);
  for (int n : {0, -1, -2, -1000, INT_MIN}) {
    for (bool wor : {false, true}) {
      std::vector<std::pair<std::vector<int>, float>> samples;
      const util::Status s = sp_.SampleEncodeAndScore(text, n, 0.5f, wor, false, &samples);
      EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << n << " " << wor;
      EXPECT_THAT(s.ToString(), HasSubstr("num_examples must be positive"));
    }
  }
  for (int n : {1025, 100000, INT_MAX}) {
    for (bool wor : {false, true}) {
      std::vector<std::pair<std::vector<int>, float>> samples;
      const util::Status s = sp_.SampleEncodeAndScore(text, n, 0.5f, wor, wor, &samples);
      EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << n << " " << wor;
      EXPECT_THAT(s.ToString(), HasSubstr("num_samples must be <= 1024"));
    }
  }
}

TEST_F(LimitsTest, SampleEncodeAndScoreAtTheLimitFinishes) {
  const std::string text = LongLine(20);
  const auto start = std::chrono::steady_clock::now();
  for (bool wor : {false, true}) {
    std::vector<std::pair<std::vector<int>, float>> samples;
    ASSERT_TRUE(sp_.SampleEncodeAndScore(text, 1024, 0.5f, wor, false, &samples).ok());
    EXPECT_LE(samples.size(), 1024u);
    EXPECT_GT(samples.size(), 0u);
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(60));
}

TEST_F(LimitsTest, NBestEncodeClampsLikeTheReference) {
  const std::string text = LongLine(30);
  for (int n : {1025, 100000, INT_MAX}) {
    std::vector<std::vector<int>> nbest;
    ASSERT_TRUE(sp_.NBestEncode(text, n, &nbest).ok());
    EXPECT_EQ(nbest.size(), 1024u);
  }
  for (int n : {0, -1, INT_MIN}) {  // As nbest_size 1.
    std::vector<std::vector<int>> nbest;
    ASSERT_TRUE(sp_.NBestEncode(text, n, &nbest).ok());
    EXPECT_EQ(nbest.size(), 1u);
  }
}

TEST_F(LimitsTest, SampleEncodeRefusesLargeNBest) {
  for (int n : {513, 100000, INT_MAX}) {
    std::vector<int> ids;
    const util::Status s = sp_.SampleEncode("hello world", n, 0.5f, &ids);
    EXPECT_FALSE(s.ok());
    EXPECT_THAT(s.ToString(), HasSubstr("nbest_size must be nbest_size <= 512"));
  }
  for (int n : {512, -1, INT_MIN, 0, 1}) {
    std::vector<int> ids;
    EXPECT_TRUE(sp_.SampleEncode(LongLine(10), n, 0.5f, &ids).ok()) << n;
  }
}

// Odd alpha values give some result (or an error), never a crash or hang.
TEST_F(LimitsTest, OddAlphas) {
  const float kAlphas[] = {0.0f, -1.0f, 1e30f, -1e30f, 1e-30f, INFINITY, -INFINITY, NAN};
  for (float alpha : kAlphas) {
    std::vector<int> ids;
    sp_.SampleEncode("hello world", -1, alpha, &ids).IgnoreError();
    sp_.SampleEncode("hello world", 8, alpha, &ids).IgnoreError();
    std::vector<std::pair<std::vector<int>, float>> samples;
    sp_.SampleEncodeAndScore("hello world", 4, alpha, true, true, &samples).IgnoreError();
    sp_.SampleEncodeAndScore("hello world", 4, alpha, false, false, &samples).IgnoreError();
    float entropy;
    sp_.CalculateEntropy("hello world", alpha, &entropy).IgnoreError();
  }
  SentencePieceProcessor bpe;
  ASSERT_TRUE(bpe.Load(ModelPath("llama2")).ok());
  for (float alpha : kAlphas) {
    std::vector<int> ids;
    EXPECT_TRUE(bpe.SampleEncode("hello world", -1, alpha, &ids).ok());
    EXPECT_EQ(bpe.DecodeIds(ids), "hello world");  // Dropout only changes the split.
  }
}

}  // namespace
}  // namespace sentencepiece
