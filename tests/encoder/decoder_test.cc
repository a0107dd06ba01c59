#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "encoder/processor.h"
#include "gtest/gtest.h"
#include "sentencepiece_processor.h"

namespace sentencepiece {
namespace {

std::string ModelPath(const std::string& name) {
  return std::string(SPM_TESTDATA_DIR) + "/models/" + name + ".model";
}

TEST(DecoderTest, BytePiecesReassembleUtf8AndFlagMalformedBytes) {
  SentencePieceProcessor sp;
  ASSERT_TRUE(sp.Load(ModelPath("llama2")).ok());
  // "é" as two byte pieces, then a lone continuation byte.
  SentencePieceText spt;
  ASSERT_TRUE(sp.Decode(std::vector<std::string>{"<0xC3>", "<0xA9>", "<0x80>"}, &spt).ok());
  EXPECT_EQ(spt.text(), "\xC3\xA9\xEF\xBF\xBD");
  ASSERT_EQ(spt.pieces_size(), 3);
  EXPECT_EQ(spt.pieces(0).surface(), "");
  EXPECT_EQ(spt.pieces(1).surface(), "\xC3\xA9");
  EXPECT_EQ(spt.pieces(2).surface(), "\xEF\xBF\xBD");
  EXPECT_EQ(spt.pieces(2).begin(), 2u);
  EXPECT_EQ(spt.pieces(2).end(), 5u);
}

TEST(DecoderTest, UnknownAndControlPieces) {
  SentencePieceProcessor sp;
  ASSERT_TRUE(sp.Load(ModelPath("spm_test_model")).ok());
  // <unk> decodes to the unk surface; an unknown string to itself; control
  // pieces to nothing; the leading ▁ is dropped.
  EXPECT_EQ(sp.DecodePieces(std::vector<std::string>{"<s>", "\xE2\x96\x81" "a", "<unk>", "xyz\xE2\x96\x81", "</s>"}),
            "a \xE2\x81\x87 xyz\xE2\x96\x81");
}

// The text-only fast path (Processor::DecodeIdsToText, behind
// Decode(ids, std::string*)) must agree with the piece-by-piece decoder
// (Decode(ids, SentencePieceText*)) on every model: leading-▁ stripping,
// control/unknown/byte pieces, denormalizers.
TEST(DecoderTest, TextFastPathMatchesThePieceDecoder) {
  for (const char* name : {"llama2", "albert_spiece", "spm_test_model", "bpe_noextraws",
                           "unigram_nodummy", "unigram_bytefb", "bpe_suffix", "unigram_rules",
                           "char_bytefb", "unigram_raw_ws"}) {
    SentencePieceProcessor sp;
    ASSERT_TRUE(sp.Load(ModelPath(name)).ok()) << name;
    const int n = sp.GetPieceSize();
    std::vector<std::vector<int>> cases = {{}, {0}, {1, 2, 3}};
    // Every id, in windows of 5, starting and not starting the text; and
    // runs of ▁-only pieces at the start.
    for (int id = 0; id < n; id += 5) {
      std::vector<int> w;
      for (int j = id; j < std::min(n, id + 5); ++j) w.push_back(j);
      cases.push_back(w);
      w.insert(w.begin(), n - 1 - id);
      cases.push_back(w);
    }
    // Long texts: every id in turn, so runs of ids go past the start
    // and through byte pieces, control pieces and long surfaces.
    for (int first = 0; first < n; first += 1500) {
      std::vector<int> w;
      for (int j = first; j < std::min(n, first + 3000); ++j) w.push_back(j);
      cases.push_back(w);
      w.insert(w.begin(), {sp.PieceToId("a"), 0});
      cases.push_back(w);
    }
    const int ws = sp.PieceToId("\xE2\x96\x81");
    cases.push_back({ws, ws, sp.PieceToId("\xE2\x96\x81" "a"), ws});
    cases.push_back({sp.unk_id(), ws, ws});
    for (const auto& ids : cases) {
      std::string fast;
      ASSERT_TRUE(sp.Decode(ids, &fast).ok());
      SentencePieceText spt;
      ASSERT_TRUE(sp.Decode(ids, &spt).ok());
      ASSERT_EQ(fast, spt.text()) << name << " first id " << (ids.empty() ? -1 : ids[0]);
      // The same as pieces, and with strings the vocabulary does not have
      // (they decode to themselves) at the start and among the pieces.
      std::vector<std::string> pieces;
      for (int id : ids) pieces.push_back(sp.IdToPiece(id));
      for (int variant = 0; variant < 2; ++variant) {
        if (variant == 1) {
          pieces.insert(pieces.begin(), "\xE2\x96\x81no-such-piece\xE4\xBD\xA0");
          pieces.insert(pieces.begin() + pieces.size() / 2, "\xE4\xBD\xA0\xE5\xA5\xBD zz");
          pieces.insert(pieces.begin() + pieces.size() / 3, "");  // No piece is empty.
        }
        std::string from_pieces;
        ASSERT_TRUE(sp.Decode(pieces, &from_pieces).ok());
        SentencePieceText piece_spt;
        ASSERT_TRUE(sp.Decode(pieces, &piece_spt).ok());
        ASSERT_EQ(from_pieces, piece_spt.text())
            << name << " pieces, first id " << (ids.empty() ? -1 : ids[0]);
      }
    }
    std::string text = "unchanged";
    EXPECT_FALSE(sp.Decode(std::vector<int>{0, n}, &text).ok());
    EXPECT_EQ(text, "unchanged");
  }
}

// spm_decode's piece lines (Processor::DecodePieceLineToText) are split at
// spaces, runs of them and the line's ends included, and decode as the
// piece decoder decodes the split pieces: every id's piece, strings the
// vocabulary lacks (short and long), tabs inside pieces, lines longer than
// one 16-byte step.
TEST(DecoderTest, PieceLinesDecodeAsTheirSplitPieces) {
  const std::string ws = "\xE2\x96\x81";
  for (const char* name : {"llama2", "albert_spiece", "spm_test_model", "unigram_bytefb",
                           "bpe_noextraws", "unigram_rules", "unigram_raw_ws"}) {
    SentencePieceProcessor sp;
    ASSERT_TRUE(sp.Load(ModelPath(name)).ok()) << name;
    const int n = sp.GetPieceSize();
    std::vector<std::string> lines = {"", " ", "   ", "\t", "<unk>", "no-such-piece",
                                      "  " + ws + "a  b\t c  ", ws + ws + " " + ws + " x",
                                      "x " + ws + "b " + std::string(100, 'q') + " y"};
    for (int first = 0; first < n; first += 97) {
      std::string line;
      for (int j = first; j < std::min(n, first + 40); ++j) {
        line += sp.IdToPiece(j);
        line += (j % 7 == 0) ? "   " : " ";
        if (j % 11 == 0) line += "zz" + ws + "\xE4\xBD\xA0 ";
        // Longer than any piece, and longer than the room decoding keeps
        // for a string of its own.
        if (j % 13 == 0) line += std::string(20 + j % 90, 'q') + "\xE4\xBD\xA0 ";
      }
      lines.push_back(line);
      lines.push_back("  " + line);
    }
    for (const std::string& line : lines) {
      const std::vector<std::string> pieces = absl::StrSplit(line, ' ', absl::SkipEmpty());
      SentencePieceText spt;
      ASSERT_TRUE(sp.Decode(pieces, &spt).ok());
      std::string text = "stale";
      ASSERT_TRUE(sp.processor()->DecodePieceLineToText(line, &text).ok());
      ASSERT_EQ(text, spt.text()) << name << ": " << line;
    }
  }
}

}  // namespace
}  // namespace sentencepiece
