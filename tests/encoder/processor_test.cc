#include <algorithm>
#include <fstream>
#include <functional>
#include <limits>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "common/id_text.h"
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

TEST(ProcessorTest, IdTextIsTheIdsPrinted) {
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

// The fast path's ids (cached words, lone characters from their table)
// against the full path's tokens.
TEST(ProcessorTest, FastIdsAreTheTokensIds) {
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
TEST(ProcessorTest, PieceTextIsThePiecesPrinted) {
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
TEST(ProcessorTest, LinesPrintAsEachLine) {
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

TEST(ProcessorTest, PiecesAreTheTokensPieces) {
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
TEST(ProcessorTest, PiecesKeepTheirSpacesWithoutEscaping) {
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

// A text of Model::kLargeInputBytes or more has the unigram model build its
// trie before segmenting (each single-text entry point); a shorter one
// leaves it to the model's own accounting. The ids are the same either way.
TEST(ProcessorTest, LongTextBuildsTheTrieUpFront) {
  std::string words;
  for (int i = 0; words.size() < 2000; ++i) words += "word" + std::to_string(i % 37) + " ";
  std::string long_text;
  while (long_text.size() < Model::kLargeInputBytes) long_text += words;
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
