// Bugs found by the fuzz targets and the mutation test, each with the
// smallest input that showed it. The fixes are in the runtime; see
// docs/hardening.md ("Findings").

#include <string>
#include <vector>

#include "common/double_array.h"
#include "common/double_array_builder.h"
#include "gtest/gtest.h"
#include "sentencepiece_processor.h"

namespace sentencepiece {
namespace {

std::string ModelPath(const std::string& name) {
  return std::string(SPM_TESTDATA_DIR) + "/models/" + name + ".model";
}

// Found by model_mutation_test (unigram_metaids, byte flips). When the
// smallest first byte of all keys was 0x01, the builder gave the root base 0,
// so the root's NUL child slot was the root itself: a NUL byte in the text
// looped at the root, and "\0)" matched the piece ")" (the pieces no longer
// concatenated to the text). Darts-clone never uses base 0; neither do we.
TEST(RegressionTest, NulByteIsNotTransparentAtTheTrieRoot) {
  const std::vector<std::pair<std::string_view, uint32_t>> keys = {{"\x01"
                                                                    "a",
                                                                    1},
                                                                   {")", 2},
                                                                   {"ab", 3}};
  auto trie = BuildDoubleArray(keys);
  ASSERT_TRUE(trie.ok());
  for (const DoubleArray& da : {*trie}) {
    uint32_t node = 0;
    EXPECT_EQ(da.Traverse(&node, '\0'), DoubleArray::kNoPath);
    node = 0;
    EXPECT_EQ(da.TraverseTrusted(&node, '\0'), DoubleArray::kNoPath);
    EXPECT_EQ(da.ExactMatch(std::string_view("\0)", 2)), -1);
    EXPECT_EQ(da.ExactMatch(std::string_view("\0\0ab", 4)), -1);
    int matches = 0;
    da.CommonPrefixSearch(std::string_view("\0)", 2), [&](size_t, int) { return ++matches, true; });
    EXPECT_EQ(matches, 0);
  }
}

TEST(RegressionTest, NulByteWithAPieceStartingWithByte01) {
  // An identity-normalized unigram model whose last piece now starts with
  // byte 0x01, the smallest first byte a piece can have.
  SentencePieceProcessor base;
  ASSERT_TRUE(base.Load(ModelPath("chinese_llama_human_unigram")).ok());
  ModelProto m = base.model_proto();
  m.mutable_pieces(m.pieces_size() - 1)
      ->set_piece(
          "\x01"
          "make");
  SentencePieceProcessor sp;
  ASSERT_TRUE(sp.Load(m).ok());
  // As without the edit: the NUL on its own (here as byte piece <0x00>),
  // never one piece "\0)".
  for (const std::string& text : {std::string("\0)", 2), std::string("(\0)", 3)}) {
    const std::vector<std::string> pieces = sp.EncodeAsPieces(text);
    for (const std::string& p : pieces) {
      EXPECT_TRUE(p.size() == 1 || p.find('\0') == std::string::npos) << p.size();
    }
    EXPECT_EQ(pieces, base.EncodeAsPieces(text));
    EXPECT_EQ(sp.EncodeAsIds(text), base.EncodeAsIds(text));
  }
}

}  // namespace
}  // namespace sentencepiece
