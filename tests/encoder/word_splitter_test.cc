#include "encoder/word_splitter.h"

#include <string>
#include <unordered_set>
#include <vector>

#include "common/file_io.h"
#include "common/model_io.h"
#include "common/utf8.h"
#include "gtest/gtest.h"

namespace sentencepiece {
namespace {

std::string TestdataPath(const std::string& rel) { return std::string(SPM_TESTDATA_DIR) + "/" + rel; }

constexpr char kWs[] = "\xE2\x96\x81";  // U+2581

WordSplitter SplitterOf(const std::vector<std::string>& pieces) {
  WordSplitter s;
  for (const std::string& p : pieces) s.Add(p);
  return s;
}

TEST(WordSplitterTest, SafeBeforeByByteAndByCharacter) {
  // "a" precedes a `▁` inside a piece: never cut after an "a".
  const WordSplitter a = SplitterOf({"a" + std::string(kWs), "bc"});
  EXPECT_FALSE(a.SafeBefore("xa"));
  EXPECT_TRUE(a.SafeBefore("xb"));
  // `▁▁` (llama2): `▁` ends in 0x81 like U+3041 (E3 81 81) and U+00C1
  // (C3 81), which no piece puts before a `▁`.
  const WordSplitter ws = SplitterOf({std::string(kWs) + kWs});
  EXPECT_FALSE(ws.SafeBefore(std::string("x") + kWs));
  EXPECT_TRUE(ws.SafeBefore("x\xE3\x81\x81"));
  EXPECT_TRUE(ws.SafeBefore("x\xC3\x81"));
  // A lone trail byte is no whole character: judged by the byte.
  EXPECT_FALSE(ws.SafeBefore("x\x81"));
  // A piece with 0x81 before a `▁` other than as a whole character's end
  // leaves every character ending in 0x81 unsafe.
  const WordSplitter bad = SplitterOf({std::string(kWs) + kWs, "\x81" + std::string(kWs)});
  EXPECT_FALSE(bad.SafeBefore("x\xE3\x81\x81"));
  EXPECT_FALSE(bad.SafeBefore("x\xC3\x81"));
}

// Every cut Split() makes lies where no piece of the vocabulary occurs across
// it: checked by brute force on text made of the sample words, with extra
// `▁`s and characters ending in the bytes `▁` ends with.
TEST(WordSplitterTest, NoPieceOccursAcrossACut) {
  auto sample = ReadFile(TestdataPath("text/sample/ja_wagahai.txt"));
  ASSERT_TRUE(sample.ok()) << sample.status();
  auto en = ReadFile(TestdataPath("text/sample/en_botchan.txt"));
  ASSERT_TRUE(en.ok()) << en.status();
  std::string text;
  const char* extras[] = {kWs, "\xE3\x81\x81", "\xC3\x81", " ", "a"};
  int k = 0;
  for (const std::string* src : {&*sample, &*en}) {
    for (size_t pos = 0; pos < 6000 && pos < src->size();) {
      size_t len = 0;
      utf8::DecodeValid(std::string_view(*src).substr(pos), &len);
      const std::string c = src->substr(pos, len);
      text += (c == " " || c == "\n") ? std::string(kWs) : c;
      if (++k % 7 == 0) text += extras[k % 5];
      pos += len;
    }
  }
  for (const char* name : {"llama2", "albert_spiece", "bpe_uds", "unigram_cross_ws"}) {
    auto proto = ReadModelProto(TestdataPath(std::string("models/") + name + ".model"));
    ASSERT_TRUE(proto.ok()) << proto.status();
    WordSplitter splitter;
    std::unordered_set<std::string> pieces;
    size_t longest = 0;
    for (const auto& p : (*proto)->pieces()) {
      splitter.Add(p.piece());
      pieces.insert(p.piece());
      longest = std::max(longest, p.piece().size());
    }
    std::vector<size_t> cuts;
    auto step = [](std::string_view t, size_t pos) {
      return std::min(t.size() - pos, utf8::OneCharLen(t[pos]));
    };
    splitter.Split(text, step, [&](size_t, size_t end) { cuts.push_back(end); });
    ASSERT_GT(cuts.size(), 300u) << name;
    for (size_t cut : cuts) {
      if (cut == text.size()) continue;
      for (size_t s = cut > longest ? cut - longest : 0; s < cut; ++s) {
        for (size_t e = cut + 1; e <= text.size() && e - s <= longest; ++e) {
          ASSERT_EQ(pieces.count(text.substr(s, e - s)), 0u)
              << name << ": piece " << text.substr(s, e - s) << " across the cut at " << cut;
        }
      }
    }
  }
}

}  // namespace
}  // namespace sentencepiece
