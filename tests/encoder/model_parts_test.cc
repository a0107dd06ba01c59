// Model::EncodeInParts() hands over the same segmentation as Encode(), a
// bounded part at a time for the models that segment word by word.

#include <algorithm>
#include <cstddef>
#include <string>
#include <vector>

#include "common/file_io.h"
#include "common/model_io.h"
#include "encoder/model.h"
#include "gtest/gtest.h"

namespace sentencepiece {
namespace {

std::string TestdataPath(const std::string& rel) { return std::string(SPM_TESTDATA_DIR) + "/" + rel; }

// Sample texts of several scripts as one line, spaces and newlines as `▁`,
// the way an encoder sees a normalized line (plus some bytes that are not
// UTF-8, which every model segments as unknown characters).
std::string LongNormalizedLine() {
  std::string line;
  for (const char* file : {"en_botchan", "ru_fortunes", "ja_wagahai", "zh_hans_emacs_tutorial",
                           "th_emacs_tutorial", "multi_emacs_hello"}) {
    auto text = ReadFile(TestdataPath("text/sample/") + file + ".txt");
    EXPECT_TRUE(text.ok()) << text.status();
    if (!text.ok()) continue;
    line += "\xE2\x96\x81\xFF\x80\xC3";
    for (char c : *text) {
      if (c == ' ' || c == '\n') {
        line += "\xE2\x96\x81";
      } else {
        line += c;
      }
    }
  }
  return line;
}

// Bytes of the longest word: `▁` and what follows up to the next one.
size_t LongestWordBytes(const std::string& line) {
  size_t longest = 0;
  for (size_t pos = 0; pos < line.size();) {
    size_t next = line.find("\xE2\x96\x81", pos + 1);
    if (next == std::string::npos) next = line.size();
    longest = std::max(longest, next - pos);
    pos = next;
  }
  return longest;
}

TEST(ModelPartsTest, PartsJoinToTheWholeSegmentation) {
  const std::string line = LongNormalizedLine();
  ASSERT_GT(line.size(), 200000u);
  // Unigram, BPE (with and without UNUSED pieces, whose words are not
  // independent), char and word models.
  struct Case {
    const char* model;
    bool word_by_word;  // Parts are handed over as the words go.
  };
  for (const Case& c : {Case{"albert_spiece", true}, Case{"llama2", true},
                        Case{"spm_test_model_unused", true}, Case{"hf_test_bpe_unused", false},
                        Case{"char_mixed", false}, Case{"word_en", false}}) {
    auto proto = ReadModelProto(TestdataPath(std::string("models/") + c.model + ".model"));
    ASSERT_TRUE(proto.ok()) << proto.status();
    auto model = CreateModel(**proto);
    ASSERT_TRUE(model.ok()) << model.status();
    EncodeResult whole;
    (*model)->Encode(line, &whole);
    ASSERT_FALSE(whole.empty()) << c.model;

    EncodeResult joined, buffer;
    std::vector<size_t> part_sizes;
    (*model)->EncodeInParts(line, &buffer, [&](const EncodeResult& part) {
      EXPECT_EQ(&part, &buffer) << c.model;
      EXPECT_FALSE(part.empty()) << c.model;
      part_sizes.push_back(part.size());
      joined.insert(joined.end(), part.begin(), part.end());
    });
    ASSERT_EQ(joined.size(), whole.size()) << c.model;
    for (size_t i = 0; i < whole.size(); ++i) {
      // Same pieces of the same text: the views are equal as pointers.
      ASSERT_EQ(joined[i].piece.data(), whole[i].piece.data()) << c.model << " segment " << i;
      ASSERT_EQ(joined[i].piece.size(), whole[i].piece.size()) << c.model << " segment " << i;
      ASSERT_EQ(joined[i].id, whole[i].id) << c.model << " segment " << i;
    }
    if (c.word_by_word) {
      // Many parts, each handed over once it reaches the part size, after
      // the word that reaches it (a word's segments, at most one per byte,
      // are never cut).
      EXPECT_GT(part_sizes.size(), whole.size() / Model::kPartSegments / 2) << c.model;
      for (size_t i = 0; i < part_sizes.size(); ++i) {
        EXPECT_LE(part_sizes[i], Model::kPartSegments + LongestWordBytes(line)) << c.model;
        if (i + 1 < part_sizes.size()) {
          EXPECT_GE(part_sizes[i], Model::kPartSegments) << c.model;
        }
      }
    } else {
      EXPECT_EQ(part_sizes.size(), 1u) << c.model;
    }
  }
}

}  // namespace
}  // namespace sentencepiece
