#include <fstream>
#include <functional>
#include <limits>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "encoder/processor.h"
#include "encoder/unigram_model.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sentencepiece_processor.h"

namespace sentencepiece {
namespace {

using ::testing::HasSubstr;

std::string ModelPath(const std::string& name) {
  return std::string(SPM_TESTDATA_DIR) + "/models/" + name + ".model";
}

TEST(ProcessorTest, LoadErrors) {
  SentencePieceProcessor sp;
  util::Status s = sp.Load("/no/such.model");
  EXPECT_EQ(s.code(), util::StatusCode::kNotFound);
  EXPECT_THAT(s.ToString(), HasSubstr("Not found: "));
  EXPECT_THAT(s.ToString(), HasSubstr("/no/such.model"));
  EXPECT_FALSE(sp.status().ok());
  EXPECT_TRUE(sp.EncodeAsIds("a").empty());
  EXPECT_EQ(sp.GetPieceSize(), 0);

  EXPECT_FALSE(sp.LoadFromSerializedProto("not a model").ok());
  EXPECT_FALSE(sp.LoadFromSerializedProto("").ok());
}

TEST(ProcessorTest, ModelValidationErrors) {
  SentencePieceProcessor good;
  ASSERT_TRUE(good.Load(ModelPath("spm_test_model")).ok());
  const ModelProto base = good.model_proto();

  auto expect_error = [](const ModelProto& m, const std::string& message) {
    SentencePieceProcessor sp;
    const util::Status s = sp.Load(m);
    EXPECT_EQ(s.code(), util::StatusCode::kInternal);
    EXPECT_THAT(s.ToString(), HasSubstr(message));
  };
  ModelProto m = base;
  m.mutable_pieces(5)->set_piece(m.pieces(6).piece());
  expect_error(m, "is already defined.");
  m = base;
  m.mutable_pieces(5)->set_piece("");
  expect_error(m, "piece must not be empty.");
  m = base;
  m.mutable_pieces(0)->set_type(ModelProto::SentencePiece::NORMAL);
  m.mutable_pieces(0)->set_piece("<unk2>");
  expect_error(m, "unk is not defined.");
  m = base;
  m.mutable_pieces(5)->set_type(ModelProto::SentencePiece::UNKNOWN);
  expect_error(m, "unk is already defined.");
  m = base;
  m.mutable_pieces(5)->set_type(ModelProto::SentencePiece::BYTE);
  expect_error(m, "is found although `byte_fallback` is false.");
  m = base;
  m.mutable_trainer_spec()->set_byte_fallback(true);
  expect_error(m, "there are not 256 byte pieces");
  m = base;
  m.mutable_normalizer_spec()->set_precompiled_charsmap("xx");
  expect_error(m, "Blob for normalization rule is broken.");
}

TEST(ProcessorTest, OffsetsCoverTheInput) {
  for (const char* name : {"llama2", "spm_test_model", "albert_spiece", "chinese_llama_human_unigram"}) {
    SentencePieceProcessor sp;
    ASSERT_TRUE(sp.Load(ModelPath(name)).ok()) << name;
    const std::string input = "  Hello\tworld  \xE4\xBD\xA0\xE5\xA5\xBD \x80 \xEF\xBC\xA1 ";
    SentencePieceText spt;
    ASSERT_TRUE(sp.Encode(input, &spt).ok());
    EXPECT_EQ(spt.text(), input);
    uint32_t prev_end = 0;
    for (const auto& p : spt.pieces()) {
      EXPECT_LE(p.begin(), p.end());
      EXPECT_GE(p.begin(), prev_end) << name;
      EXPECT_LE(p.end(), input.size());
      EXPECT_EQ(p.surface(), input.substr(p.begin(), p.end() - p.begin()));
      EXPECT_EQ(static_cast<int>(p.id()), sp.IsUnknown(p.id()) ? sp.unk_id() : sp.PieceToId(p.piece()))
          << name << " " << p.piece();
      prev_end = p.end();
    }
  }
}

TEST(ProcessorTest, ExtraOptions) {
  SentencePieceProcessor sp;
  ASSERT_TRUE(sp.Load(ModelPath("spm_test_model")).ok());
  const std::vector<int> plain = sp.EncodeAsIds("hello world");
  ASSERT_TRUE(sp.SetEncodeExtraOptions("bos:eos").ok());
  std::vector<int> expected = plain;
  expected.insert(expected.begin(), sp.bos_id());
  expected.push_back(sp.eos_id());
  EXPECT_EQ(sp.EncodeAsIds("hello world"), expected);
  ASSERT_TRUE(sp.SetEncodeExtraOptions("reverse").ok());
  EXPECT_EQ(sp.EncodeAsIds("hello world"), std::vector<int>(plain.rbegin(), plain.rend()));
  EXPECT_THAT(sp.SetEncodeExtraOptions("bos:foo").ToString(),
              HasSubstr("option \"foo\" is not available."));

  SentencePieceProcessor albert;  // No <s> piece.
  ASSERT_TRUE(albert.Load(ModelPath("albert_spiece")).ok());
  EXPECT_EQ(albert.bos_id(), -1);
  EXPECT_THAT(albert.SetEncodeExtraOptions("bos").ToString(), HasSubstr("is not defined."));
}

TEST(ProcessorTest, IdentityModelsRoundTrip) {
  SentencePieceProcessor sp;  // llama2: identity rules, byte fallback.
  ASSERT_TRUE(sp.Load(ModelPath("llama2")).ok());
  for (const std::string text : {"Hello world", "日本語のテキスト", "emoji \xF0\x9F\x98\x80 ok",
                                 "tabs\tand  spaces"}) {
    EXPECT_EQ(sp.DecodeIds(sp.EncodeAsIds(text)), text);
    EXPECT_EQ(sp.DecodePieces(sp.EncodeAsPieces(text)), text);
  }
  std::string out;
  const util::Status s = sp.Decode(std::vector<int>{1, 100000}, &out);
  EXPECT_EQ(s.ToString(), "Out of range: Invalid id: 100000");
}

// A piece whose score is NaN is a candidate like any other (as in the
// reference: its comparisons fail, but a position it reaches first keeps
// it), whether or not the model also has UNUSED pieces, which Viterbi
// skips: an UNUSED piece the text never holds changes nothing.
TEST(ProcessorTest, NanScoredPiecesStayCandidatesBesideUnusedPieces) {
  SentencePieceProcessor base;
  ASSERT_TRUE(base.Load(ModelPath("albert_spiece")).ok());
  ModelProto nan_scores = base.model_proto();
  for (auto& piece : *nan_scores.mutable_pieces()) {
    const std::string& p = piece.piece();
    if (p == "\xE2\x96\x81the" || p == "he" || p == "\xE2\x96\x81" "a" || p == "ing") {
      piece.set_score(std::numeric_limits<float>::quiet_NaN());
    }
  }
  ModelProto with_unused = nan_scores;
  for (auto& piece : *with_unused.mutable_pieces()) {
    if (piece.piece() == "\xE2\x96\x81zebra") piece.set_type(ModelProto::SentencePiece::UNUSED);
  }
  SentencePieceProcessor a, b;
  ASSERT_TRUE(a.LoadFromSerializedProto(nan_scores.SerializeAsString()).ok());
  ASSERT_TRUE(b.LoadFromSerializedProto(with_unused.SerializeAsString()).ok());
  for (const char* line : {"the cat is eating the hen", "bathing in the sea with a hat"}) {
    std::vector<int> ids_a, ids_b;
    ASSERT_TRUE(a.processor()->EncodeIds(line, &ids_a).ok());
    ASSERT_TRUE(b.processor()->EncodeIds(line, &ids_b).ok());
    EXPECT_EQ(ids_a, ids_b) << line;
    // The word "the" keeps its NaN-scored piece.
    EXPECT_THAT(ids_b, ::testing::Contains(base.PieceToId("\xE2\x96\x81the"))) << line;
  }
}

// Characters in no longer piece are segmented from a per-character table
// (encoder/lone_chars.h), filled as they are met. A vocabulary restriction
// can change what such a character is: as in the reference, it makes every
// single-character piece usable, UNUSED ones included. The table must
// follow.
TEST(ProcessorTest, RestrictedVocabularyReachesLoneCharacters) {
  std::vector<std::string> lines;
  std::ifstream in(std::string(SPM_TESTDATA_DIR) + "/text/sample/ja_wagahai.txt");
  for (std::string line; lines.size() < 80 && std::getline(in, line);) lines.push_back(line);
  ASSERT_EQ(lines.size(), 80u);
  // A Japanese unigram model whose single-character kanji pieces
  // (U+4E00 and up: E4-E9 lead bytes) are UNUSED.
  SentencePieceProcessor base;
  ASSERT_TRUE(base.Load(ModelPath("spm_test_ja_model")).ok());
  ModelProto proto = base.model_proto();
  int unused = 0;
  for (auto& piece : *proto.mutable_pieces()) {
    const std::string& p = piece.piece();
    if (p.size() == 3 && static_cast<unsigned char>(p[0]) >= 0xE4 &&
        static_cast<unsigned char>(p[0]) <= 0xE9 &&
        piece.type() == ModelProto::SentencePiece::NORMAL) {
      piece.set_type(ModelProto::SentencePiece::UNUSED);
      ++unused;
    }
  }
  ASSERT_GT(unused, 100);
  const std::string serialized = proto.SerializeAsString();
  const std::vector<std::string_view> valid = {"\xE2\x96\x81", "\xE3\x81\xAE"};  // ▁ の
  auto encode_all = [&lines](const SentencePieceProcessor& sp) {
    std::vector<std::vector<int>> all;
    for (const std::string& line : lines) {
      std::vector<int> ids;
      EXPECT_TRUE(sp.Encode(line, &ids).ok());
      all.push_back(ids);
    }
    return all;
  };
  // Restricted before any encode, and after a full one.
  SentencePieceProcessor fresh;
  ASSERT_TRUE(fresh.LoadFromSerializedProto(serialized).ok());
  ASSERT_TRUE(fresh.SetVocabulary(valid).ok());
  const auto expected = encode_all(fresh);
  SentencePieceProcessor reused;
  ASSERT_TRUE(reused.LoadFromSerializedProto(serialized).ok());
  const auto unrestricted = encode_all(reused);
  ASSERT_TRUE(reused.SetVocabulary(valid).ok());
  EXPECT_EQ(encode_all(reused), expected);
  EXPECT_NE(unrestricted, expected);  // The restriction changes the ids.
  ASSERT_TRUE(reused.ResetVocabulary().ok());
  SentencePieceProcessor reset;
  ASSERT_TRUE(reset.LoadFromSerializedProto(serialized).ok());
  ASSERT_TRUE(reset.ResetVocabulary().ok());
  EXPECT_EQ(encode_all(reused), encode_all(reset));
}

TEST(ProcessorTest, ConcurrentEncodingMatchesSequential) {
  SentencePieceProcessor sp;
  ASSERT_TRUE(sp.Load(ModelPath("spm_test_model")).ok());
  std::vector<std::string> inputs;
  for (int i = 0; i < 200; ++i) inputs.push_back("sentence number " + std::to_string(i * 7919));
  std::vector<std::vector<int>> expected;
  for (const auto& in : inputs) expected.push_back(sp.EncodeAsIds(in));
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 5; ++round) {
        for (size_t i = 0; i < inputs.size(); ++i) {
          if (sp.EncodeAsIds(inputs[i]) != expected[i]) ++mismatches[t];
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(mismatches, std::vector<int>(4, 0));
}

// A text of UnigramModel::kTrieAtOnceBytes or more has the unigram model
// build its trie before segmenting (each single-text entry point announces
// its text); a shorter one leaves it to the model's own accounting. The ids
// are the same either way.
TEST(ProcessorTest, LongTextBuildsTheTrieUpFront) {
  std::string words;
  for (int i = 0; words.size() < 2000; ++i) words += "word" + std::to_string(i % 37) + " ";
  std::string long_text;
  while (long_text.size() < UnigramModel::kTrieAtOnceBytes) long_text += words;
  const std::vector<std::function<void(const Processor&, const std::string&)>> calls = {
      [](const Processor& p, const std::string& t) {
        std::vector<int> ids;
        ASSERT_TRUE(p.EncodeIds(t, &ids).ok());
      },
      [](const Processor& p, const std::string& t) {
        std::string out;
        ASSERT_TRUE(p.EncodeIdText(t, &out).ok());
      },
      [](const Processor& p, const std::string& t) {
        std::string out;
        ASSERT_TRUE(p.EncodePieceText(t, &out).ok());
      },
      [](const Processor& p, const std::string& t) {
        std::vector<std::string> pieces;
        ASSERT_TRUE(p.EncodePieces(t, &pieces).ok());
      },
      [](const Processor& p, const std::string& t) {
        EncodeOutput out;
        ASSERT_TRUE(p.Encode(t, &out).ok());
      },
  };
  std::vector<int> short_ids;
  for (size_t k = 0; k < calls.size(); ++k) {
    SentencePieceProcessor sp;
    ASSERT_TRUE(sp.Load(ModelPath("albert_spiece")).ok());
    const Processor& engine = *sp.processor();
    const auto& model = dynamic_cast<const UnigramModel&>(engine.model());
    calls[k](engine, words);
    EXPECT_FALSE(model.trie_built()) << k;
    calls[k](engine, long_text);
    EXPECT_TRUE(model.trie_built()) << k;
  }
  // Same ids from a model that hashed its prefixes and one with the trie.
  SentencePieceProcessor hashing, with_trie;
  ASSERT_TRUE(hashing.Load(ModelPath("albert_spiece")).ok());
  ASSERT_TRUE(with_trie.Load(ModelPath("albert_spiece")).ok());
  ASSERT_NE(dynamic_cast<const UnigramModel&>(with_trie.processor()->model()).Trie(), nullptr);
  ASSERT_TRUE(hashing.processor()->EncodeIds(words, &short_ids).ok());
  ASSERT_FALSE(
      dynamic_cast<const UnigramModel&>(hashing.processor()->model()).trie_built());
  std::vector<int> trie_ids;
  ASSERT_TRUE(with_trie.processor()->EncodeIds(words, &trie_ids).ok());
  EXPECT_EQ(short_ids, trie_ids);
}

}  // namespace
}  // namespace sentencepiece
