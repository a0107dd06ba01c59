#include "encoder/char_adjacency.h"

#include <string>
#include <utility>

#include "common/model_io.h"
#include "common/utf8.h"
#include "encoder/vocabulary.h"
#include "gtest/gtest.h"

namespace sentencepiece {
namespace {

std::string TestdataPath(const std::string& rel) { return std::string(SPM_TESTDATA_DIR) + "/" + rel; }

// Every pair of characters side by side in a piece must be reported as
// possibly adjacent (a miss would let an encoder cut through a piece).
TEST(CharAdjacencyTest, NoPieceHasAPairItCallsNeverAdjacent) {
  for (const char* name : {"albert_spiece", "llama2", "spm_test_ja_model", "bpe_uds",
                           "unigram_rules", "chinese_llama_human_unigram"}) {
    auto proto = ReadModelProto(TestdataPath(std::string("models/") + name + ".model"));
    ASSERT_TRUE(proto.ok()) << proto.status();
    auto vocab = Vocabulary::Create(**proto);
    ASSERT_TRUE(vocab.ok()) << vocab.status();
    const auto adjacency = CharAdjacency::Build(*vocab);
    ASSERT_NE(adjacency, nullptr) << name;
    int pairs = 0;
    for (int id = 0; id < vocab->size(); ++id) {
      const std::string_view p = vocab->IdToPiece(id);
      size_t prev = 0, prev_len = 0;
      for (size_t pos = 0; pos < p.size();) {
        size_t len = 0;
        ASSERT_TRUE(utf8::DecodeValid(p.substr(pos), &len)) << name << " " << id;
        if (prev_len > 0) {
          ASSERT_FALSE(adjacency->NeverAdjacent(p.substr(prev, prev_len), p.substr(pos, len)))
              << name << " piece " << id;
          ++pairs;
        }
        prev = pos;
        prev_len = len;
        pos += len;
      }
    }
    EXPECT_GT(pairs, vocab->size() / 10) << name;
    // And most pairs of characters are in no piece: text can be cut.
    int never = 0;
    const char* chars[] = {"a", "Q", "7", "\xE3\x81\xAE", "\xE6\x9D\xB1", "\xEF\xBF\xBD", "\xC3\xA9"};
    for (const char* x : chars) {
      for (const char* y : chars) never += adjacency->NeverAdjacent(x, y);
    }
    EXPECT_GT(never, 10) << name;
  }
}

// The key of an ASCII byte built without looking at it as text (the BPE
// word cutter's shortcut) is the key KeyOf() gives.
TEST(CharAdjacencyTest, AsciiKeyIsKeyOf) {
  for (int c = 0; c < 0x80; ++c) {
    const std::string text(1, static_cast<char>(c));
    const CharAdjacency::Key a = CharAdjacency::AsciiKey(static_cast<unsigned char>(c));
    const CharAdjacency::Key b = CharAdjacency::KeyOf(text);
    EXPECT_EQ(a.small, b.small) << c;
    EXPECT_EQ(a.packed, b.packed) << c;
  }
}

TEST(CharAdjacencyTest, MalformedPieceMeansNoFilter) {
  ModelProto proto;
  for (const char* piece : {"<unk>", "ab", "c\xFF"}) {
    auto* p = proto.add_pieces();
    p->set_piece(piece);
    p->set_score(0.0f);
  }
  proto.mutable_pieces(0)->set_type(ModelProto::SentencePiece::UNKNOWN);
  auto vocab = Vocabulary::Create(proto);
  ASSERT_TRUE(vocab.ok()) << vocab.status();
  EXPECT_EQ(CharAdjacency::Build(*vocab), nullptr);
  proto.mutable_pieces(2)->set_piece("cd");
  vocab = Vocabulary::Create(proto);
  ASSERT_TRUE(vocab.ok()) << vocab.status();
  const auto adjacency = CharAdjacency::Build(*vocab);
  ASSERT_NE(adjacency, nullptr);
  EXPECT_FALSE(adjacency->NeverAdjacent("a", "b"));
  EXPECT_FALSE(adjacency->NeverAdjacent("c", "d"));
  EXPECT_TRUE(adjacency->NeverAdjacent("b", "c"));
  EXPECT_TRUE(adjacency->NeverAdjacent("b", "a"));
}

// Lone(): exactly the characters below U+10000 in no piece of two or more
// characters, whichever type the piece has and wherever in it they stand.
TEST(CharAdjacencyTest, LoneCharactersAreInNoLongerPiece) {
  ModelProto proto;
  // (piece, type): the unknown piece first.
  const std::pair<const char*, ModelProto::SentencePiece::Type> pieces[] = {
      {"<unk>", ModelProto::SentencePiece::UNKNOWN},
      {"<s>", ModelProto::SentencePiece::CONTROL},
      {"\xE6\x97\xA5\xE6\x9C\xAC", ModelProto::SentencePiece::NORMAL},  // 日本
      {"\xE8\xAA\x9E", ModelProto::SentencePiece::NORMAL},                  // 語
      {"x\xD0\xB6", ModelProto::SentencePiece::UNUSED},                      // xж
      {"\xCE\xBB", ModelProto::SentencePiece::NORMAL},                       // λ
      {"\xE3\x81\xAE\xE2\x96\x81", ModelProto::SentencePiece::USER_DEFINED},  // の▁
      {"\xF0\x9F\x98\x80\xE3\x82\xA2", ModelProto::SentencePiece::NORMAL},   // 😀ア
  };
  for (const auto& [piece, type] : pieces) {
    auto* p = proto.add_pieces();
    p->set_piece(piece);
    p->set_score(0.0f);
    p->set_type(type);
  }
  auto vocab = Vocabulary::Create(proto);
  ASSERT_TRUE(vocab.ok()) << vocab.status();
  const auto adjacency = CharAdjacency::Build(*vocab);
  ASSERT_NE(adjacency, nullptr);
  for (uint32_t joined : {0x65E5u, 0x672Cu, 0x436u, 0x306Eu, 0x2581u, 0x30A2u, uint32_t{'x'},
                          uint32_t{'<'}, uint32_t{'s'}}) {
    EXPECT_FALSE(adjacency->Lone(joined)) << std::hex << joined;
  }
  for (uint32_t lone : {0x8A9Eu, 0x3BBu, 0x6771u, 0x3042u, 0xE9u, uint32_t{'q'}}) {
    EXPECT_TRUE(adjacency->Lone(lone)) << std::hex << lone;
  }
}

}  // namespace
}  // namespace sentencepiece
