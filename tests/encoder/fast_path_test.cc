// The raw-word fast path (encoder/fast_ids.h: cached words, lone
// characters, a run of lines at a time) against the full path's tokens,
// for every model kind and the options that change what is printed: ids,
// ids' text, pieces and pieces' text, each with the words new and then
// cached.

#include <algorithm>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "common/id_text.h"
#include "encoder/model.h"
#include "encoder/processor.h"
#include "gtest/gtest.h"
#include "sentencepiece_processor.h"

namespace sentencepiece {
namespace {

std::string ModelPath(const std::string& name) {
  return std::string(SPM_TESTDATA_DIR) + "/models/" + name + ".model";
}

// Lines of sample texts in several scripts, and lines made for the fast
// path's edges: unknown runs, bytes without pieces, repeated and
// surrounding spaces, a word too long to cache, control pieces, empty,
// unspaced runs after an unknown.
std::vector<std::string> FastPathLines() {
  std::vector<std::string> lines;
  for (const char* file : {"en_botchan", "ru_fortunes", "ja_wagahai", "zh_hans_emacs_tutorial",
                           "ko_emacs_tutorial", "multi_emacs_hello"}) {
    std::ifstream in(std::string(SPM_TESTDATA_DIR) + "/text/sample/" + file + ".txt");
    EXPECT_TRUE(in.good()) << file;
    std::string line;
    for (int i = 0; i < 60 && std::getline(in, line); ++i) lines.push_back(line);
  }
  for (const std::string& line :
       {std::string(""), std::string("   "), std::string("  two  spaces  "),
        std::string("\xE2\x98\x83\xE2\x98\x83 snow \xE2\x98\x83"),
        std::string("bytes \xF0\x9F\x98\x80\xF0\x9F\x98\x81 and \xFF\xFE"),
        std::string(300, 'x') + " tail", std::string("<s> </s> <unk> <pad>"),
        std::string("\xE6\xBC\xA2\xE5\xAD\x97 \xE6\xBC\xA2\xE5\xAD\x97"),
        std::string("\xE2\x98\x83 \xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E\xE3\x81\xAE\xE6\x96\x87"
                    "\xE2\x98\x83 \xE2\x98\x83\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E\xE3\x81\xAE\xE6\x96\x87")}) {
    lines.push_back(line);
  }
  lines.push_back("a\xE2\x98\x83 \xE2\x98\x83" "b \xE2\x98\x83 c");
  // A line's first word again inside the line and alone (without a dummy
  // prefix it is segmented without `▁` first, and cached apart), and
  // first words that normalize to a leading space or to nothing.
  for (const char* line :
       {"the cat saw the cat", "the", "cat", "the cat", " the cat ", "\xC2\xB4 accent first",
        "\xC2\xB4", "\xEF\xBB\xBF the", "\xE2\x80\x8B zero width first",
        "\xEF\xBC\xA1\xEF\xBC\xA2 \xEF\xBC\xA1\xEF\xBC\xA2"}) {
    lines.push_back(line);
  }
  // Code-like lines: without whitespace removal a word is cached with the
  // spaces before it, and trailing spaces are a unit of their own (the
  // same word under several indents, alone, and first in a line).
  for (const char* line : {"    return x;", "        return x;", "return  x;", " return x;",
                           "  return   x;  ", "x ", "x    ", "    ", "\treturn x;\t",
                           "\xE2\x96\x81\xE2\x96\x81 x  \xE2\x96\x81", "  \xC2\xB4  x"}) {
    lines.push_back(line);
  }
  // Bytes that rules turn into spaces (Normalizer::IsSeparator(): under
  // nmt_nfkc tab, line feed, form feed and carriage return; unigram_rules'
  // tab) split words as spaces do: Windows line ends, tab-separated
  // fields, runs of them with spaces, alone, first and last, beside
  // control bytes that vanish (\x0B), and words cached before with a
  // space.
  for (const char* line :
       {"the cat saw\r", "the\tcat\tsaw the cat", "\tthe cat", "\r", "\t \t", "the \t\f\r cat\r",
        "the\x0B\tcat\x0B", "\t\tthe\t\t\tcat \r\r", "\xC2\xB4\tthe\r\xC2\xB4",
        "a\tb\rc\fd e", "\r\tx", "two\nlines\n"}) {
    lines.push_back(line);
  }
  lines.push_back(std::string(200, ' ') + "deep" + std::string(130, ' ') + "deeper");
  // Long lines whose path score grows past where floats round (under
  // chinese_llama, whose scores are integers, words are reused from base 0
  // only while the path score is an integer; the tab, a user-defined
  // piece, makes it none, and ties then break as the rounding goes).
  {
    std::ifstream in(std::string(SPM_TESTDATA_DIR) + "/text/sample/en_botchan.txt");
    std::vector<std::string> words;
    for (std::string w; in >> w;) words.push_back(w);
    EXPECT_FALSE(words.empty());
    for (size_t start = 0; start < 3 && !words.empty(); ++start) {
      std::string line = start == 0 ? "\t" : "\t\t ";
      // ("emulate" ties under chinese_llama: u|lat|e against u|l|ate.)
      for (size_t i = 0; i < 6000; ++i) {
        line += words[(start * 7 + i) % words.size()] + (i % 4 == 3 ? " emulate " : " ");
      }
      line.pop_back();
      lines.push_back(line);
    }
  }
  // Words segmented on the spot into many thousands of units (the text
  // output hands them over every Units::kDrainIds ids): known and unknown
  // characters in turn, and letters and digits.
  std::string many_units;
  for (int i = 0; i < 9000; ++i) many_units += i % 7 == 0 ? "\xE2\x98\x83\xE2\x98\x83" : "x\xE2\x98\x83";
  lines.push_back("start " + many_units + " end");
  std::string letters_digits;
  for (int i = 0; i < 6000; ++i) letters_digits += "ab1Q";
  lines.push_back(letters_digits);
  // Punctuation that albert has as user-defined pieces (scores that are no
  // floats) between characters no piece has (lone, unknown), in unspaced
  // runs and in short words.
  const std::string zh = "\xE4\xB8\xAD\xE6\x96\x87\xE5\xAD\x97";  // 中文字
  lines.push_back(zh + "(" + zh + ")" + zh + "." + zh + "-" + zh + "\"" + zh + "\"" + zh + zh);
  lines.push_back("(" + zh + ") " + zh + ". (x) \xE4\xB8\xAD(\xE6\x96\x87) \xC2\xA3" + zh);
  // Cached words of many segments, around the 16 that FastIdEncoder's
  // one-pass value builder takes (more go the general way): letters and
  // digits in turn, and unknown characters between letters.
  lines.push_back("a1b2c3d4 a1b2c3d4e5f6g7h8 a1b2c3d4e5f6g7h8i9 a1b2c3d4e5f6g7h8i9j0k1l2m3n4");
  lines.push_back(
      "\xE2\x98\x83q\xE2\x98\x83x\xE2\x98\x83z\xE2\x98\x83q\xE2\x98\x83x\xE2\x98\x83z"
      "\xE2\x98\x83q\xE2\x98\x83x\xE2\x98\x83z\xE2\x98\x83 (a1b2c3d4e5f6g7h8i9).");
  // Declarations with indentation inside the line: under chinese_llama
  // (integral scores, but user-defined space runs whose scores are not
  // integers) the path score before the last words is fractional, and
  // their integral segmentations hold ties that a fractional base can
  // break the other way: they must not be reused from the cache.
  lines.push_back("ABCDE void    ABCDEFGHIJ spmTestSampleLine( int");
  lines.push_back("ABCDE void    ABCDEFGHIJ glutInitContextVersion( int");
  return lines;
}

// The models of the fast-path tests, and two made for them: a unigram
// model where `▁` is no piece, so a word starts with an unknown, merged
// with the previous word's trailing one; and llama2 without its dummy
// prefix (as Gemma's BPE), so a line's first word has no `▁` (unigram
// models without one: unigram_nodummy, unigram_raw_ws, chinese_llama).
const char kNoSpacePiece[] = "spm_test_model, U+2581 unused";
const char kLlamaNoDummy[] = "llama2, no dummy prefix";
// ALBERT with 40,000 more pieces (private-use characters no line has, at
// its lowest score): ids past 16 bits, so that cached words keep their
// segments' ids in 32-bit lanes.
const char kAlbertLarge[] = "albert_spiece, 70k pieces";
const char* const kFastPathModels[] = {"llama2",         "albert_spiece",     "bpe_bytefb",
                                       "unigram_bytefb", "unigram_rules",     "bpe_noextraws",
                                       "spm_test_ja_model", "char_mixed",     "word_en",
                                       "unigram_nodummy", "unigram_raw_ws", "bpe_nodummy",
                                       "chinese_llama_human_unigram", kNoSpacePiece,
                                       kLlamaNoDummy, kAlbertLarge};
void LoadFastPathModel(const std::string& model, SentencePieceProcessor* sp) {
  if (model != kNoSpacePiece && model != kLlamaNoDummy && model != kAlbertLarge) {
    ASSERT_TRUE(sp->Load(ModelPath(model)).ok()) << model;
    return;
  }
  SentencePieceProcessor base;
  ASSERT_TRUE(base.Load(ModelPath(model == kNoSpacePiece  ? "spm_test_model"
                                  : model == kLlamaNoDummy ? "llama2"
                                                           : "albert_spiece"))
                  .ok());
  ModelProto proto = base.model_proto();
  if (model == kLlamaNoDummy) {
    proto.mutable_normalizer_spec()->set_add_dummy_prefix(false);
  } else if (model == kAlbertLarge) {
    float lowest = 0.0f;
    for (const auto& piece : proto.pieces()) lowest = std::min(lowest, piece.score());
    for (int i = 0; i < 40000; ++i) {
      // U+F0000 + i, in UTF-8.
      const int c = 0xF0000 + i;
      const char utf8[] = {static_cast<char>(0xF0 | (c >> 18)),
                           static_cast<char>(0x80 | ((c >> 12) & 0x3F)),
                           static_cast<char>(0x80 | ((c >> 6) & 0x3F)),
                           static_cast<char>(0x80 | (c & 0x3F)), '\0'};
      auto* piece = proto.add_pieces();
      piece->set_piece(utf8);
      piece->set_score(lowest);
    }
  } else {
    for (auto& piece : *proto.mutable_pieces()) {
      if (piece.piece() == "\xE2\x96\x81") piece.set_type(ModelProto::SentencePiece::UNUSED);
    }
  }
  ASSERT_TRUE(sp->LoadFromSerializedProto(proto.SerializeAsString()).ok());
}

// For each fast-path model, with no extra options and with each of
// `options`, in two rounds (the words new, then cached): print(engine,
// line, &out) appends what the engine prints for each line,
// expect(engine, line, &out) what that must be, and the two must agree for
// all lines.
template <typename Print, typename Expect>
void ExpectPrintedAsExpected(std::vector<const char*> options, Print print, Expect expect) {
  const std::vector<std::string> lines = FastPathLines();
  options.insert(options.begin(), "");
  for (const std::string model : kFastPathModels) {
    SentencePieceProcessor sp;
    LoadFastPathModel(model, &sp);
    const Processor& engine = *sp.processor();
    for (const char* opts : options) {
      if (*opts != '\0' && !sp.SetEncodeExtraOptions(opts).ok()) continue;
      for (int round = 0; round < 2; ++round) {
        std::string all = "kept";
        std::string expected = "kept";
        for (const std::string& line : lines) {
          print(engine, line, &all);
          expect(engine, line, &expected);
        }
        EXPECT_EQ(all, expected) << model << " " << opts << " round " << round;
      }
    }
  }
}

TEST(FastPathTest, IdTextIsTheIdsPrinted) {
  ExpectPrintedAsExpected(
      {"bos:eos:reverse"},
      [](const Processor& engine, const std::string& line, std::string* out) {
        ASSERT_TRUE(engine.EncodeIdText(line, out).ok());
      },
      [](const Processor& engine, const std::string& line, std::string* out) {
        std::vector<int> ids;
        ASSERT_TRUE(engine.EncodeIds(line, &ids).ok());
        // (IdText itself is checked against std::to_string in id_text_test.)
        IdText::Shared().Append(ids, out);
      });
}

// Ids' text once a large input has come through (EncodeIdTextLines() of
// Model::kLargeInputBytes or more at once), when each id's text comes from
// a table made for the vocabulary (before, its digits are computed, as the
// test above sees them): the same text, in a run of lines and a line at a
// time, for words new in the run and words cached.
TEST(FastPathTest, IdTextAfterALargeInputIsTheIdsPrinted) {
  const std::vector<std::string> text = FastPathLines();
  std::vector<std::string_view> lines;
  size_t bytes = 0;
  while (bytes < Model::kLargeInputBytes) {
    for (const std::string& line : text) {
      lines.push_back(line);
      bytes += line.size();
    }
  }
  for (const std::string model : kFastPathModels) {
    SentencePieceProcessor sp;
    LoadFastPathModel(model, &sp);
    const Processor& engine = *sp.processor();
    std::string all = "kept";
    ASSERT_TRUE(engine.EncodeIdTextLines(lines.data(), lines.size(), &all).ok());
    std::string each = "kept";
    std::string expected = "kept";
    for (const std::string_view line : lines) {
      ASSERT_TRUE(engine.EncodeIdText(line, &each).ok());
      std::vector<int> ids;
      ASSERT_TRUE(engine.EncodeIds(line, &ids).ok());
      IdText::Shared().Append(ids, &expected);
    }
    EXPECT_EQ(all, expected) << model;
    EXPECT_EQ(each, expected) << model;
  }
}

// Word caches sized for an announced input (Processor::ExpectInput())
// before any encoding, then grown at once by a larger announcement over
// the words they hold: the same ids' text as the full path's ids.
TEST(FastPathTest, AnnouncedInputsKeepTheOutput) {
  const std::vector<std::string> text = FastPathLines();
  const std::vector<std::string_view> lines(text.begin(), text.end());
  for (const std::string model : kFastPathModels) {
    SentencePieceProcessor sp;
    LoadFastPathModel(model, &sp);
    const Processor& engine = *sp.processor();
    engine.ExpectInput(size_t{1} << 20);
    std::string first = "kept";
    ASSERT_TRUE(engine.EncodeIdTextLines(lines.data(), lines.size(), &first).ok());
    engine.ExpectInput(size_t{20} << 20);
    std::string second = "kept";
    ASSERT_TRUE(engine.EncodeIdTextLines(lines.data(), lines.size(), &second).ok());
    std::string expected = "kept";
    for (const std::string_view line : lines) {
      std::vector<int> ids;
      ASSERT_TRUE(engine.EncodeIds(line, &ids).ok());
      IdText::Shared().Append(ids, &expected);
    }
    EXPECT_EQ(first, expected) << model;
    EXPECT_EQ(second, expected) << model;
  }
}

// The fast path's ids (cached words, lone characters from their table)
// against the full path's tokens.
TEST(FastPathTest, FastIdsAreTheTokensIds) {
  ExpectPrintedAsExpected(
      {},
      [](const Processor& engine, const std::string& line, std::string* out) {
        std::vector<int> ids;
        ASSERT_TRUE(engine.EncodeIds(line, &ids).ok());
        IdText::Shared().Append(ids, out);
      },
      [](const Processor& engine, const std::string& line, std::string* out) {
        EncodeOutput full;
        ASSERT_TRUE(engine.Encode(line, &full).ok());
        std::vector<int> ids;
        for (const Token& t : full.tokens) ids.push_back(t.id);
        IdText::Shared().Append(ids, out);
      });
}

// Piece text (spm_encode's piece output, from pieces' text cached with
// each word) against the full path's tokens.
TEST(FastPathTest, PieceTextIsThePiecesPrinted) {
  // (Without unk, the options are applied to the printed pieces; with it,
  // the full path's tokens.)
  ExpectPrintedAsExpected(
      {"bos:eos:reverse", "reverse:eos:bos", "bos:eos:reverse:unk"},
      [](const Processor& engine, const std::string& line, std::string* out) {
        ASSERT_TRUE(engine.EncodePieceText(line, out).ok());
      },
      [](const Processor& engine, const std::string& line, std::string* out) {
        EncodeOutput full;
        ASSERT_TRUE(engine.Encode(line, &full).ok());
        for (size_t i = 0; i < full.tokens.size(); ++i) {
          if (i > 0) *out += ' ';
          out->append(full.tokens[i].piece.data(), full.tokens[i].piece.size());
        }
        *out += '\n';
      });
}

// A run of lines in one call (spm_encode's blocks, the batch API: each
// line's words are found while the line before is encoded) gives what a
// call a line gives, lines the fast path refuses included (empty, spaces
// only, leading spaces under some models), and the same line twice in a
// row.
TEST(FastPathTest, LinesPrintAsEachLine) {
  const std::vector<std::string> text = FastPathLines();
  std::vector<std::string_view> lines(text.begin(), text.end());
  lines.push_back(lines[0]);
  lines.push_back(lines[0]);
  for (const std::string model : kFastPathModels) {
    SentencePieceProcessor sp;
    LoadFastPathModel(model, &sp);
    const Processor& engine = *sp.processor();
    // (Options take the way of a line at a time; a model without bos or
    // eos pieces refuses them.)
    for (const char* opts : {"reverse", "bos:eos:reverse", ""}) {
      if (!sp.SetEncodeExtraOptions(opts).ok()) continue;
      for (int round = 0; round < 2; ++round) {
        std::string ids = "kept", pieces = "kept";
        std::string expected_ids = "kept", expected_pieces = "kept";
        ASSERT_TRUE(engine.EncodeIdTextLines(lines.data(), lines.size(), &ids).ok());
        ASSERT_TRUE(engine.EncodePieceTextLines(lines.data(), lines.size(), &pieces).ok());
        // (Vectors that held something: the ids replace it.)
        std::vector<std::vector<int>> id_lists(lines.size(), std::vector<int>{7});
        size_t failed = 0;
        ASSERT_TRUE(
            engine.EncodeIdsLines(lines.data(), lines.size(), id_lists.data(), &failed).ok());
        for (size_t i = 0; i < lines.size(); ++i) {
          ASSERT_TRUE(engine.EncodeIdText(lines[i], &expected_ids).ok());
          ASSERT_TRUE(engine.EncodePieceText(lines[i], &expected_pieces).ok());
          std::vector<int> one;
          ASSERT_TRUE(engine.EncodeIds(lines[i], &one).ok());
          EXPECT_EQ(id_lists[i], one) << model << " '" << opts << "' line " << i;
        }
        EXPECT_EQ(ids, expected_ids) << model << " '" << opts << "' round " << round;
        EXPECT_EQ(pieces, expected_pieces) << model << " '" << opts << "' round " << round;
      }
    }
    // Part of a run, and none.
    std::string out = "kept";
    ASSERT_TRUE(engine.EncodeIdTextLines(lines.data() + 3, 2, &out).ok());
    ASSERT_TRUE(engine.EncodeIdTextLines(lines.data(), 0, &out).ok());
    std::string expected = "kept";
    ASSERT_TRUE(engine.EncodeIdText(lines[3], &expected).ok());
    ASSERT_TRUE(engine.EncodeIdText(lines[4], &expected).ok());
    EXPECT_EQ(out, expected) << model;
  }
}

// The pieces as strings (the library's Encode() to pieces): printed
// pieces split at their spaces, against the full path's tokens. The
// separator here is one no piece holds.
void AppendPieces(const std::vector<std::string>& pieces, std::string* out) {
  for (const std::string& p : pieces) *out += p + '\x1F';
  *out += '\n';
}
void AppendTokenPieces(const Processor& engine, const std::string& line, std::string* out) {
  EncodeOutput full;
  ASSERT_TRUE(engine.Encode(line, &full).ok());
  std::vector<std::string> pieces;
  for (const Token& t : full.tokens) pieces.emplace_back(t.piece);
  AppendPieces(pieces, out);
}

TEST(FastPathTest, PiecesAreTheTokensPieces) {
  // (Without unk, the options are applied to the printed pieces; with it,
  // the full path's tokens.)
  ExpectPrintedAsExpected(
      {"bos:eos:reverse", "reverse:eos:bos", "bos:eos:reverse:unk"},
      [](const Processor& engine, const std::string& line, std::string* out) {
        std::vector<std::string> pieces = {"stale"};
        ASSERT_TRUE(engine.EncodePieces(line, &pieces).ok());
        AppendPieces(pieces, out);
      },
      AppendTokenPieces);
}

// Without whitespace escaped a piece can hold a space (here a run of
// unknown characters): the pieces then come from the tokens, not from
// splitting the printed ones.
TEST(FastPathTest, PiecesKeepTheirSpacesWithoutEscaping) {
  SentencePieceProcessor base;
  ASSERT_TRUE(base.Load(ModelPath("spm_test_model")).ok());
  ModelProto proto = base.model_proto();
  proto.mutable_normalizer_spec()->set_escape_whitespaces(false);
  SentencePieceProcessor sp;
  ASSERT_TRUE(sp.LoadFromSerializedProto(proto.SerializeAsString()).ok());
  const Processor& engine = *sp.processor();
  std::string all, expected;
  bool spaced = false;
  for (const std::string& line : FastPathLines()) {
    std::vector<std::string> pieces;
    ASSERT_TRUE(engine.EncodePieces(line, &pieces).ok());
    for (const std::string& p : pieces) spaced = spaced || p.find(' ') != std::string::npos;
    AppendPieces(pieces, &all);
    AppendTokenPieces(engine, line, &expected);
  }
  EXPECT_EQ(all, expected);
  EXPECT_TRUE(spaced);
}

}  // namespace
}  // namespace sentencepiece
