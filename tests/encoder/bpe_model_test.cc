#include "encoder/bpe_model.h"

#include <string>
#include <thread>
#include <vector>

#include "common/model_io.h"
#include "encoder/pair_map.h"
#include "gtest/gtest.h"
#include "sample_words.h"

namespace sentencepiece {
namespace {

TEST(PieceFilterTest, KnowsEveryPieceAndRejectsMostOtherStrings) {
  auto proto = ReadModelProto(TestdataPath("models/llama2.model"));
  ASSERT_TRUE(proto.ok()) << proto.status();
  PieceFilter filter;
  for (const auto& p : (*proto)->pieces()) filter.Add(p.piece());
  for (const auto& p : (*proto)->pieces()) ASSERT_TRUE(filter.MayContain(p.piece())) << p.piece();
  int rejected = 0;
  for (int i = 0; i < 10000; ++i) rejected += !filter.MayContain("x" + std::to_string(i) + "y");
  EXPECT_GT(rejected, 9000);
}

// The piece filter comes into use after a thread's first words: the same
// words must segment the same way before and after.
TEST(BpeModelTest, SegmentationsAgreeBeforeAndAfterThePieceFilter) {
  const std::vector<std::string> words = SampleWords(1500);
  ASSERT_GT(words.size(), 2 * BpeModel::kWordsBeforePieceFilter);
  for (const char* name : {"llama2", "bpe_uds", "bpe_rules", "hf_test_sentencepiece_bpe"}) {
    auto proto = ReadModelProto(TestdataPath(std::string("models/") + name + ".model"));
    ASSERT_TRUE(proto.ok()) << proto.status();
    auto model = CreateModel(**proto);
    ASSERT_TRUE(model.ok()) << model.status();
    const auto& bpe = dynamic_cast<const BpeModel&>(**model);
    // A fresh thread: its first words go without the filter.
    std::vector<EncodeResult> first(words.size()), again(words.size());
    std::thread([&] {
      for (size_t i = 0; i < words.size(); ++i) bpe.SampleEncode(words[i], 0.0f, &first[i]);
      for (size_t i = 0; i < words.size(); ++i) bpe.SampleEncode(words[i], 0.0f, &again[i]);
    }).join();
    for (size_t i = 0; i < words.size(); ++i) {
      ASSERT_EQ(first[i].size(), again[i].size()) << name << " " << words[i];
      for (size_t j = 0; j < first[i].size(); ++j) {
        ASSERT_EQ(first[i][j].piece, again[i][j].piece) << name << " " << words[i];
        ASSERT_EQ(first[i][j].id, again[i][j].id) << name << " " << words[i];
      }
    }
  }
}

}  // namespace
}  // namespace sentencepiece
