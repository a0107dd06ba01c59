#include "encoder/bpe_model.h"

#include <limits>
#include <memory>
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

// The piece filter comes into use after a model's first words: the same
// words must segment the same way before and after.
TEST(BpeModelTest, SegmentationsAgreeBeforeAndAfterThePieceFilter) {
  const std::vector<std::string> words = SampleWords(1500);
  ASSERT_GT(words.size(), 2 * BpeModel::kWordsBeforePieceFilter);
  for (const char* name : {"llama2", "bpe_uds", "bpe_rules", "hf_test_sentencepiece_bpe"}) {
    const LoadedModel loaded = LoadModel(name);
    ASSERT_NE(loaded.model, nullptr) << name;
    const auto& bpe = dynamic_cast<const BpeModel&>(*loaded.model);
    // A fresh model: its first words go without the filter.
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

// Warmth belongs to a model: a thread that has encoded many words with one
// model must not make a model loaded after it build its piece filter and
// adjacency table (~0.5 ms) on its first words.
TEST(BpeModelTest, WarmthIsPerModelNotPerThread) {
  const std::vector<std::string> words = SampleWords(1500);
  ASSERT_GT(words.size(), BpeModel::kWordsBeforePieceFilter);
  const LoadedModel first = LoadModel("llama2");
  ASSERT_NE(first.model, nullptr);
  const auto& a = dynamic_cast<const BpeModel&>(*first.model);
  EncodeResult out;
  for (const std::string& w : words) a.SampleEncode(w, 0.0f, &out);
  EXPECT_TRUE(a.warm());
  const LoadedModel second = LoadModel("llama2");
  ASSERT_NE(second.model, nullptr);
  const auto& b = dynamic_cast<const BpeModel&>(*second.model);
  for (int i = 0; i < 10; ++i) b.SampleEncode(words[i], 0.0f, &out);
  EXPECT_FALSE(b.warm());
  // Other threads count toward the same model.
  std::thread([&] {
    for (const std::string& w : words) b.SampleEncode(w, 0.0f, &out);
  }).join();
  EXPECT_TRUE(b.warm());
}

// A model's first texts are encoded whole without its tables
// (BpeModel::tables_ready()): they must segment as a model with tables
// does, short ones (EncodeShort) and long ones (the heap).
TEST(BpeModelTest, FirstTextsWithoutTablesAgreeWithTables) {
  const std::vector<std::string> words = SampleWords(100);
  std::vector<std::string> texts;  // One, two, three and twelve words.
  for (size_t i = 0; i + 11 < words.size(); i += 3) {
    std::string text;
    for (size_t k = 0; k < 12; ++k) {
      text += words[i + k];
      // (Unspaced scripts make some single "words" too long already.)
      if ((k < 3 || k == 11) && text.size() <= BpeModel::kColdBytes) texts.push_back(text);
    }
  }
  std::string long_text;  // Past kColdBytes.
  for (size_t i = 0; long_text.size() <= BpeModel::kColdBytes; ++i) {
    long_text += words[i % words.size()];
  }
  for (const char* name : {"llama2", "bpe_uds", "bpe_rules", "hf_test_sentencepiece_bpe"}) {
    const LoadedModel with_tables = LoadModel(name);
    ASSERT_NE(with_tables.model, nullptr) << name;
    EncodeResult expected, actual;
    with_tables.model->Encode(long_text, &expected);
    ASSERT_TRUE(dynamic_cast<const BpeModel&>(*with_tables.model).tables_ready()) << name;
    size_t cold = 0;
    for (size_t next = 0; next < texts.size();) {
      const LoadedModel fresh = LoadModel(name);  // kColdTexts texts each.
      ASSERT_NE(fresh.model, nullptr) << name;
      const auto& bpe = dynamic_cast<const BpeModel&>(*fresh.model);
      for (uint32_t k = 0; k < BpeModel::kColdTexts && next < texts.size(); ++k, ++next) {
        const std::string& text = texts[next];
        fresh.model->Encode(text, &actual);
        cold += !bpe.tables_ready();
        with_tables.model->Encode(text, &expected);
        ASSERT_EQ(expected.size(), actual.size()) << name << " " << text;
        for (size_t j = 0; j < actual.size(); ++j) {
          ASSERT_EQ(expected[j].piece, actual[j].piece) << name << " " << text;
          ASSERT_EQ(expected[j].id, actual[j].id) << name << " " << text;
        }
      }
    }
    // Every text went without tables.
    EXPECT_EQ(cold, texts.size()) << name;
  }
}

// A new word is encoded from its parts once the model is warm, each part
// looked up in or stored to the word cache: the first time (parts stored)
// and the second (parts found) must both give the word's own segmentation.
TEST(BpeModelTest, NewWordsFromPartsAgreeWithTheWholeWord) {
  std::vector<std::string> words = SampleWords(1500);
  // Parts that repeat across words: punctuation, digits, case.
  for (const char* w : {"(word),", "word.", "\"word\"", "2023-11-29", "1,234,567", "x86_64",
                        "e.g.", "U.S.A.", "(1)", "[12]", "it's", "CamelCase", "snake_case",
                        // Kanji and kana, with a surrogate and an overlong form between.
                        "\xE6\xBC\xA2\xE5\xAD\x97\xE3\x81\xAE",
                        "\xE6\xBC\xA2\xED\xA0\x80\xE5\xAD\x97", "\xE0\x80\x80\xE3\x81\xAE",
                        // ASCII and `▁`s (the parts' one-pass cut), with control bytes,
                        // a `▁` inside, and one cut short.
                        "\xE2\x96\x81word", "a\xE2\x96\x81" "b,c", "\x01\x7f~x", "ab\xE2\x96",
                        "\xE2\x96\x81\xE2\x96\x81\xE2\x96\x81"}) {
    words.push_back(std::string("\xE2\x96\x81") + w);
  }
  // Words at and past the one-pass cut's 64 bytes.
  for (size_t n : {60, 61, 62, 63, 64, 65}) {
    std::string w = "\xE2\x96\x81";
    while (w.size() < n) w += "ab,1.(x)";
    words.push_back(w.substr(0, n));
  }
  ASSERT_GT(words.size(), 2 * BpeModel::kWordsBeforePieceFilter);
  for (const char* name : {"llama2", "bpe_uds", "bpe_rules", "hf_test_sentencepiece_bpe"}) {
    const LoadedModel loaded = LoadModel(name);
    ASSERT_NE(loaded.model, nullptr) << name;
    const auto& bpe = dynamic_cast<const BpeModel&>(*loaded.model);
    std::vector<EncodeResult> whole(words.size()), first(words.size()), again(words.size());
    std::thread([&] {
      for (size_t i = 0; i < words.size(); ++i) bpe.SampleEncode(words[i], 0.0f, &whole[i]);
      for (size_t i = 0; i < words.size(); ++i) bpe.EncodeNewWord(words[i], &first[i]);
      for (size_t i = 0; i < words.size(); ++i) bpe.EncodeNewWord(words[i], &again[i]);
    }).join();
    for (size_t i = 0; i < words.size(); ++i) {
      for (const EncodeResult* r : {&first[i], &again[i]}) {
        ASSERT_EQ(whole[i].size(), r->size()) << name << " " << words[i];
        for (size_t j = 0; j < r->size(); ++j) {
          ASSERT_EQ(whole[i][j].piece, (*r)[j].piece) << name << " " << words[i];
          ASSERT_EQ(whole[i][j].piece.data(), (*r)[j].piece.data()) << name << " " << words[i];
          ASSERT_EQ(whole[i][j].id, (*r)[j].id) << name << " " << words[i];
        }
      }
    }
  }
}

// The short-word merge marks a pair that does not merge with the score
// -inf unless some piece has that score; a model where some do must merge
// them as the general loop (a heap) does: last, but still.
TEST(BpeModelTest, PiecesScoredMinusInfinityStillMerge) {
  const std::vector<std::string> words = SampleWords(1000);
  const LoadedModel original = LoadModel("llama2");
  LoadedModel edited = LoadModel("llama2");
  ASSERT_NE(original.model, nullptr);
  ASSERT_NE(edited.model, nullptr);
  int set = 0;
  for (auto& piece : *edited.proto->mutable_pieces()) {
    if (piece.piece() == "er" || piece.piece() == "in" || piece.piece() == "\xE2\x96\x81t") {
      piece.set_score(-std::numeric_limits<float>::infinity());
      ++set;
    }
  }
  ASSERT_EQ(set, 3);
  auto model = CreateModel(*edited.proto);
  ASSERT_TRUE(model.ok()) << model.status();
  const auto& bpe = dynamic_cast<const BpeModel&>(**model);
  const auto& before = dynamic_cast<const BpeModel&>(*original.model);
  int changed = 0;
  for (const std::string& w : words) {
    EncodeResult short_way, heap_way, unedited;
    bpe.SampleEncode(w, 0.0f, &short_way);
    // (A dropout this small drops nothing, and takes the heap.)
    bpe.SampleEncode(w, 1e-30f, &heap_way);
    before.SampleEncode(w, 0.0f, &unedited);
    ASSERT_EQ(short_way.size(), heap_way.size()) << w;
    bool same_as_before = short_way.size() == unedited.size();
    for (size_t j = 0; j < short_way.size(); ++j) {
      ASSERT_EQ(short_way[j].piece, heap_way[j].piece) << w;
      ASSERT_EQ(short_way[j].id, heap_way[j].id) << w;
      same_as_before = same_as_before && short_way[j].id == unedited[j].id;
    }
    changed += !same_as_before;
  }
  EXPECT_GT(changed, 10);  // The edit matters.
}

// An announced large input builds the tables at once; a smaller one does
// not (a model's first short texts go without them).
TEST(BpeModelTest, LargeInputBuildsTheTablesUpFront) {
  LoadedModel small = LoadModel("llama2");
  ASSERT_NE(small.model, nullptr);
  EXPECT_FALSE(small.model->ExpectInputBuilds(BpeModel::kTablesAtOnceBytes - 1));
  small.model->ExpectInput(BpeModel::kTablesAtOnceBytes - 1);
  EXPECT_FALSE(dynamic_cast<const BpeModel&>(*small.model).tables_ready());
  LoadedModel large = LoadModel("llama2");
  ASSERT_NE(large.model, nullptr);
  // (ExpectInputBuilds() says so beforehand, and not once they are built.)
  EXPECT_TRUE(large.model->ExpectInputBuilds(BpeModel::kTablesAtOnceBytes));
  large.model->ExpectInput(BpeModel::kTablesAtOnceBytes);
  EXPECT_TRUE(dynamic_cast<const BpeModel&>(*large.model).tables_ready());
  EXPECT_FALSE(large.model->ExpectInputBuilds(BpeModel::kTablesAtOnceBytes));
}

}  // namespace
}  // namespace sentencepiece
