#include <string>
#include <vector>

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

}  // namespace
}  // namespace sentencepiece
