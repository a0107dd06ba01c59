// The service API: batch encoding (EncodeBatch, EncodeAsIdsBatch,
// EncodeAsPiecesBatch, EncodedBatch) and the immutable results
// (ImmutableSentencePieceText, ImmutableNBestSentencePieceText), checked
// against the single-input methods. Linked with libspm.so.

#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "sentencepiece_processor.h"

namespace sentencepiece {
namespace {

std::string Testdata(const std::string& path) { return std::string(SPM_TESTDATA_DIR) + "/" + path; }

std::string ModelPath(const std::string& name) { return Testdata("models/" + name + ".model"); }

std::vector<std::string> ReadLines(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// Tricky and ordinary lines: malformed UTF-8, spaces, NULs, many scripts.
std::vector<std::string> Lines() {
  std::vector<std::string> lines = ReadLines(Testdata("text/edge_short.txt"));
  const std::vector<std::string> mix = ReadLines(Testdata("text/golden_mix.txt"));
  lines.insert(lines.end(), mix.begin(), mix.end());
  lines.push_back("");
  lines.push_back(std::string("nul\0inside", 10));
  return lines;
}

std::vector<std::string_view> Views(const std::vector<std::string>& lines) {
  return std::vector<std::string_view>(lines.begin(), lines.end());
}

class BatchTest : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override { ASSERT_TRUE(sp_.Load(ModelPath(GetParam())).ok()); }
  SentencePieceProcessor sp_;
};

TEST_P(BatchTest, IdsAndPiecesMatchSingleCalls) {
  const std::vector<std::string> lines = Lines();
  const std::vector<std::string_view> in = Views(lines);
  for (int threads : {1, 2, 3, 0}) {
    SCOPED_TRACE(threads);
    const auto ids = sp_.EncodeAsIdsBatch(in, threads);
    const auto pieces = sp_.EncodeAsPiecesBatch(in, threads);
    ASSERT_EQ(ids.size(), lines.size());
    ASSERT_EQ(pieces.size(), lines.size());
    for (size_t i = 0; i < lines.size(); ++i) {
      EXPECT_EQ(ids[i], sp_.EncodeAsIds(lines[i])) << i;
      EXPECT_EQ(pieces[i], sp_.EncodeAsPieces(lines[i])) << i;
    }
  }
}

TEST_P(BatchTest, EncodedBatchMatchesEncode) {
  const std::vector<std::string> lines = Lines();
  EncodedBatch batch;
  ASSERT_TRUE(sp_.EncodeBatch(Views(lines), 2, &batch).ok());
  ASSERT_EQ(batch.size(), lines.size());
  size_t total = 0;
  for (size_t i = 0; i < lines.size(); ++i) {
    SentencePieceText spt;
    ASSERT_TRUE(sp_.Encode(lines[i], &spt).ok());
    const ArrayView<PieceView> pieces = batch.pieces(i);
    const ArrayView<int> ids = batch.ids(i);
    ASSERT_EQ(pieces.size(), static_cast<size_t>(spt.pieces_size())) << i;
    ASSERT_EQ(ids.size(), pieces.size());
    for (size_t j = 0; j < pieces.size(); ++j) {
      const auto& want = spt.pieces(j);
      EXPECT_EQ(pieces[j].piece, want.piece());
      EXPECT_EQ(pieces[j].id, static_cast<int>(want.id()));
      EXPECT_EQ(ids[j], pieces[j].id);
      EXPECT_EQ(pieces[j].begin, want.begin());
      EXPECT_EQ(pieces[j].end, want.end());
      if (want.has_surface()) {
        EXPECT_EQ(lines[i].substr(pieces[j].begin, pieces[j].end - pieces[j].begin),
                  want.surface());
      }
    }
    total += pieces.size();
  }
  EXPECT_EQ(batch.total_pieces(), total);
}

INSTANTIATE_TEST_SUITE_P(Models, BatchTest,
                         ::testing::Values("spm_test_model", "llama2", "bpe_bytefb",
                                           "unigram_bytefb", "word_en", "char_mixed",
                                           "unigram_rules", "bpe_suffix"));

TEST(BatchTest, ViewsSurviveMoveAndInputs) {
  SentencePieceProcessor sp;
  ASSERT_TRUE(sp.Load(ModelPath("spm_test_model")).ok());
  EncodedBatch moved;
  {
    std::vector<std::string> lines(1000, "I saw a girl with a telescope.");
    EncodedBatch batch;
    ASSERT_TRUE(sp.EncodeBatch(Views(lines), 2, &batch).ok());
    moved = std::move(batch);
    lines.assign(1000, "overwritten overwritten overwritten");
  }
  ASSERT_EQ(moved.size(), 1000u);
  const std::vector<std::string> want = sp.EncodeAsPieces("I saw a girl with a telescope.");
  for (size_t i = 0; i < moved.size(); i += 97) {
    std::vector<std::string> got;
    for (const PieceView& p : moved.pieces(i)) got.emplace_back(p.piece);
    EXPECT_EQ(got, want);
  }
  moved.clear();
  EXPECT_EQ(moved.size(), 0u);
}

TEST(BatchTest, ReusedOutputs) {
  SentencePieceProcessor sp;
  ASSERT_TRUE(sp.Load(ModelPath("llama2")).ok());
  const std::vector<std::string> lines = Lines();
  std::vector<std::string> reversed(lines.rbegin(), lines.rend());
  reversed.resize(lines.size() / 3);
  std::vector<std::vector<int>> ids;
  std::vector<std::vector<std::string>> pieces;
  EncodedBatch batch;
  const std::vector<std::string>* inputs[] = {&lines, &reversed, &lines};
  for (const std::vector<std::string>* input : inputs) {
    // (Fewer threads, fewer chunks: the batch then keeps blocks it does
    // not use, which must not show.)
    for (int threads : {4, 2, 1}) {
      ASSERT_TRUE(sp.EncodeBatch(Views(*input), threads, &ids).ok());
      ASSERT_TRUE(sp.EncodeBatch(Views(*input), threads, &pieces).ok());
      ASSERT_TRUE(sp.EncodeBatch(Views(*input), threads, &batch).ok());
      ASSERT_EQ(ids.size(), input->size());
      ASSERT_EQ(pieces.size(), input->size());
      ASSERT_EQ(batch.size(), input->size());
      size_t total = 0;
      for (size_t i = 0; i < input->size(); ++i) {
        EXPECT_EQ(ids[i], sp.EncodeAsIds((*input)[i]));
        EXPECT_EQ(pieces[i], sp.EncodeAsPieces((*input)[i]));
        EXPECT_EQ(batch.ids(i).ToVector(), ids[i]);
        std::vector<std::string> viewed;
        for (const PieceView& p : batch.pieces(i)) viewed.emplace_back(p.piece);
        EXPECT_EQ(viewed, pieces[i]);
        total += ids[i].size();
      }
      EXPECT_EQ(batch.total_pieces(), total) << threads;
    }
  }
}

TEST(BatchTest, ExtraOptionsApply) {
  SentencePieceProcessor sp;
  ASSERT_TRUE(sp.Load(ModelPath("spm_test_model")).ok());
  ASSERT_TRUE(sp.SetEncodeExtraOptions("reverse:bos:eos").ok());
  const std::vector<std::string> lines = Lines();
  const auto ids = sp.EncodeAsIdsBatch(Views(lines), 2);
  const auto pieces = sp.EncodeAsPiecesBatch(Views(lines), 2);
  EncodedBatch batch;
  ASSERT_TRUE(sp.EncodeBatch(Views(lines), 2, &batch).ok());
  for (size_t i = 0; i < lines.size(); ++i) {
    EXPECT_EQ(ids[i], sp.EncodeAsIds(lines[i]));
    EXPECT_EQ(pieces[i], sp.EncodeAsPieces(lines[i]));
    EXPECT_EQ(batch.ids(i).ToVector(), ids[i]);
    EXPECT_EQ(ids[i].front(), sp.bos_id());
  }
}

TEST(BatchTest, EmptyAndUnloaded) {
  SentencePieceProcessor sp;
  const std::vector<std::string_view> in = {"a", "b", "c"};
  std::vector<std::vector<int>> ids;
  const util::Status s = sp.EncodeBatch(in, 2, &ids);
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.ToString(), sp.status().ToString());
  ASSERT_EQ(ids.size(), 3u);
  EXPECT_TRUE(ids[1].empty());
  EncodedBatch batch;
  EXPECT_FALSE(sp.EncodeBatch(in, 2, &batch).ok());
  ASSERT_EQ(batch.size(), 3u);
  EXPECT_TRUE(batch.pieces(2).empty());
  EXPECT_EQ(sp.EncodeAsPiecesBatch(in, 2).size(), 3u);

  ASSERT_TRUE(sp.Load(ModelPath("spm_test_model")).ok());
  EXPECT_TRUE(sp.EncodeAsIdsBatch({}, 4).empty());
  EXPECT_TRUE(sp.EncodeBatch({}, 4, &batch).ok());
  EXPECT_EQ(batch.size(), 0u);
}

TEST(BatchTest, ConcurrentCallers) {
  SentencePieceProcessor sp;
  ASSERT_TRUE(sp.Load(ModelPath("llama2")).ok());
  const std::vector<std::string> lines = Lines();
  const auto want = sp.EncodeAsIdsBatch(Views(lines), 1);
  std::vector<std::thread> callers;
  std::vector<bool> same(4, false);
  for (int t = 0; t < 4; ++t) {
    callers.emplace_back([&, t] {
      bool ok = true;
      for (int round = 0; round < 5; ++round) ok &= sp.EncodeAsIdsBatch(Views(lines), 3) == want;
      same[t] = ok;
    });
  }
  for (auto& c : callers) c.join();
  for (int t = 0; t < 4; ++t) EXPECT_TRUE(same[t]) << t;
}

// ------------------------------------------------------------------ immutable results

TEST(ImmutableProtoTest, MatchesEncode) {
  SentencePieceProcessor sp;
  ASSERT_TRUE(sp.Load(ModelPath("llama2")).ok());
  for (const std::string& line : Lines()) {
    SentencePieceText spt;
    ASSERT_TRUE(sp.Encode(line, &spt).ok());
    const ImmutableSentencePieceText r = sp.EncodeAsImmutableProto(line);
    EXPECT_EQ(r.SerializeAsString(), spt.SerializeAsString());
    EXPECT_EQ(r.SerializeAsString(), sp.EncodeAsSerializedProto(line));
    EXPECT_EQ(r.text(), line);
    ASSERT_EQ(r.pieces_size(), static_cast<size_t>(spt.pieces_size()));
    const auto pieces = r.pieces();
    for (int i = 0; i < spt.pieces_size(); ++i) {
      EXPECT_EQ(pieces[i].piece(), spt.pieces(i).piece());
      EXPECT_EQ(r.pieces(i).surface(), spt.pieces(i).surface());
      EXPECT_EQ(pieces[i].id(), spt.pieces(i).id());
      EXPECT_EQ(pieces[i].begin(), spt.pieces(i).begin());
      EXPECT_EQ(pieces[i].end(), spt.pieces(i).end());
    }
  }
}

TEST(ImmutableProtoTest, PiecesOutliveTheirResult) {
  SentencePieceProcessor sp;
  ASSERT_TRUE(sp.Load(ModelPath("spm_test_model")).ok());
  std::vector<std::string> got;
  for (const auto& p : sp.EncodeAsImmutableProto("I saw a girl.").pieces()) {
    got.push_back(p.piece());
  }
  EXPECT_EQ(got, sp.EncodeAsPieces("I saw a girl."));

  ImmutableSentencePieceText_ImmutableSentencePiece kept;
  EXPECT_EQ(kept.piece(), "");
  {
    const auto r = sp.EncodeAsImmutableProto("hello");
    kept = r.pieces(0);
    EXPECT_EQ(r.pieces(99).piece(), "");
    EXPECT_EQ(r.pieces(-1).id(), 0u);
  }
  EXPECT_EQ(kept.piece(), sp.EncodeAsPieces("hello")[0]);
}

TEST(ImmutableProtoTest, NBestEntries) {
  SentencePieceProcessor sp;
  ASSERT_TRUE(sp.Load(ModelPath("spm_test_model")).ok());
  NBestSentencePieceText want;
  ASSERT_TRUE(sp.NBestEncode("hello world", 5, &want).ok());
  ImmutableSentencePieceText second;
  {
    const ImmutableNBestSentencePieceText r = sp.NBestEncodeAsImmutableProto("hello world", 5);
    EXPECT_EQ(r.SerializeAsString(), want.SerializeAsString());
    ASSERT_EQ(r.nbests_size(), 5u);
    EXPECT_EQ(r.nbests().size(), 5u);
    EXPECT_FLOAT_EQ(r.nbests(0).score(), want.nbests(0).score());
    second = r.nbests(1);
    // Changing an entry copies it; the n-best result is unchanged.
    ImmutableSentencePieceText entry = r.nbests(2);
    entry.mutable_proto()->clear_pieces();
    EXPECT_EQ(entry.pieces_size(), 0u);
    EXPECT_EQ(r.nbests(2).pieces_size(), static_cast<size_t>(want.nbests(2).pieces_size()));
    EXPECT_EQ(r.nbests(7).pieces_size(), 0u);
  }
  EXPECT_EQ(second.SerializeAsString(), want.nbests(1).SerializeAsString());
  EXPECT_EQ(ImmutableNBestSentencePieceText().SerializeAsString(), "");
  EXPECT_TRUE(ImmutableNBestSentencePieceText().nbests().empty());
}

TEST(ImmutableProtoTest, UnicodeSpans) {
  SentencePieceProcessor sp;
  ASSERT_TRUE(sp.Load(ModelPath("spm_test_ja_model")).ok());
  const std::string text = "吾輩は猫である。名前はまだ無い。";
  ImmutableSentencePieceText r = sp.EncodeAsImmutableProto(text);
  ImmutableSentencePieceText bytes = sp.EncodeAsImmutableProto(text);
  r.ConvertToUnicodeSpans();
  ASSERT_EQ(r.pieces_size(), bytes.pieces_size());
  ASSERT_GT(r.pieces_size(), 1u);
  for (size_t i = 0; i < r.pieces_size(); ++i) {
    // Every character here is 3 bytes.
    EXPECT_EQ(r.pieces(i).begin(), bytes.pieces(i).begin() / 3);
    EXPECT_EQ(r.pieces(i).end(), bytes.pieces(i).end() / 3);
  }
  EXPECT_EQ(r.pieces(r.pieces_size() - 1).end(), 16u);
}

TEST(ImmutableProtoTest, Decode) {
  SentencePieceProcessor sp;
  ASSERT_TRUE(sp.Load(ModelPath("spm_test_model")).ok());
  const std::vector<int> ids = sp.EncodeAsIds("I saw a girl.");
  const std::vector<std::string> pieces = sp.EncodeAsPieces("I saw a girl.");
  EXPECT_EQ(sp.DecodeIdsAsImmutableProto(ids).text(), "I saw a girl.");
  EXPECT_EQ(sp.DecodePiecesAsImmutableProto(pieces).SerializeAsString(),
            sp.DecodePiecesAsSerializedProto(pieces));
  EXPECT_EQ(sp.DecodeIdsAsImmutableProto({1 << 30}).pieces_size(), 0u);
}

}  // namespace
}  // namespace sentencepiece
