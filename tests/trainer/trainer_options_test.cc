// Option handling: SetSpecField (reflection), CSV, spec checks, meta pieces.

#include <random>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sentencepiece_model.pb.h"
#include "trainer/spec_fields.h"
#include "trainer/spec_validation.h"

namespace sentencepiece {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(SplitCsvTest, ReferenceCases) {
  EXPECT_THAT(SplitCsv("a,b"), ElementsAre("a", "b"));
  EXPECT_THAT(SplitCsv("a,,b"), ElementsAre("a", "", "b"));
  EXPECT_THAT(SplitCsv("a,"), ElementsAre("a"));
  EXPECT_THAT(SplitCsv(""), ElementsAre());
  EXPECT_THAT(SplitCsv(",a"), ElementsAre("", "a"));
  EXPECT_THAT(SplitCsv("\"x,y\",z"), ElementsAre("x,y", "z"));
  EXPECT_THAT(SplitCsv("\"say \"\"hi\"\"\",q"), ElementsAre("say \"hi\"", "q"));
  EXPECT_THAT(SplitCsv("\"ab\"cd,e"), ElementsAre("ab", "e"));
}

TEST(SetSpecFieldTest, EveryFieldType) {
  TrainerSpec t;
  NormalizerSpec n;
  ASSERT_TRUE(SetSpecField("vocab_size", "1234", &t).ok());
  EXPECT_EQ(t.vocab_size(), 1234);
  ASSERT_TRUE(SetSpecField("input_sentence_size", "18446744073709551615", &t).ok());
  EXPECT_EQ(t.input_sentence_size(), 18446744073709551615ull);
  ASSERT_TRUE(SetSpecField("character_coverage", "0.9995", &t).ok());
  EXPECT_EQ(t.character_coverage(), static_cast<float>(0.9995));
  ASSERT_TRUE(SetSpecField("model_type", "bPe", &t).ok());
  EXPECT_EQ(t.model_type(), TrainerSpec::BPE);
  ASSERT_TRUE(SetSpecField("split_digits", "", &t).ok());  // Empty = true.
  EXPECT_TRUE(t.split_digits());
  for (const char* word : {"0", "f", "FALSE", "n", "No"}) {
    t.set_byte_fallback(true);
    ASSERT_TRUE(SetSpecField("byte_fallback", word, &t).ok()) << word;
    EXPECT_FALSE(t.byte_fallback()) << word;
  }
  for (const char* word : {"1", "T", "true", "y", "YES"}) {
    t.set_byte_fallback(false);
    ASSERT_TRUE(SetSpecField("byte_fallback", word, &t).ok()) << word;
    EXPECT_TRUE(t.byte_fallback()) << word;
  }
  ASSERT_TRUE(SetSpecField("input", "a.txt,\"b,c.txt\"", &t).ok());
  ASSERT_TRUE(SetSpecField("input", "d.txt", &t).ok());  // Appends.
  EXPECT_THAT(t.input(), ElementsAre("a.txt", "b,c.txt", "d.txt"));
  ASSERT_TRUE(SetSpecField("unk_surface", " x ", &t).ok());
  EXPECT_EQ(t.unk_surface(), " x ");
  ASSERT_TRUE(SetSpecField("pad_id", "-1", &t).ok());
  EXPECT_EQ(t.pad_id(), -1);
  ASSERT_TRUE(SetSpecField("escape_whitespaces", "false", &n).ok());
  EXPECT_FALSE(n.escape_whitespaces());
  ASSERT_TRUE(SetSpecField("precompiled_charsmap", "\x01\x02", &n).ok());
  EXPECT_EQ(n.precompiled_charsmap(), "\x01\x02");
}

TEST(SetSpecFieldTest, ErrorsNameTheField) {
  TrainerSpec t;
  absl::Status s = SetSpecField("vocab_size", "abc", &t);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "vocab_size: cannot parse \"abc\" as int32.");
  EXPECT_EQ(SetSpecField("vocab_size", "99999999999", &t).message(),
            "vocab_size: cannot parse \"99999999999\" as int32.");
  EXPECT_EQ(SetSpecField("input_sentence_size", "-5", &t).message(),
            "input_sentence_size: cannot parse \"-5\" as uint64.");
  EXPECT_EQ(SetSpecField("character_coverage", "x", &t).message(),
            "character_coverage: cannot parse \"x\" as float.");
  EXPECT_EQ(SetSpecField("split_digits", "maybe", &t).message(),
            "split_digits: cannot parse \"maybe\" as bool.");
  EXPECT_EQ(SetSpecField("model_type", "foo", &t).message(),
            "model_type: unknown enumeration value of \"foo\" (expected one of UNIGRAM, BPE, "
            "WORD, CHAR).");
  s = SetSpecField("no_such_option", "1", &t);
  EXPECT_EQ(s.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(s.message(), "unknown field name \"no_such_option\" in TrainerSpec.");
  NormalizerSpec n;
  EXPECT_EQ(SetSpecField("vocab_size", "1", &n).message(),
            "unknown field name \"vocab_size\" in NormalizerSpec.");
  EXPECT_FALSE(t.has_vocab_size());  // Nothing was set by the failures.
}

TEST(SetSpecFieldTest, DefaultsAndPrinting) {
  TrainerSpec t;
  SetUnsetFieldsToDefaults({"vocab_size", "unk_surface", "model_type", "input"}, &t);
  EXPECT_TRUE(t.has_vocab_size());
  EXPECT_EQ(t.vocab_size(), 8000);
  EXPECT_TRUE(t.has_unk_surface());
  EXPECT_TRUE(t.has_model_type());
  const auto* d = TrainerSpec::descriptor();
  EXPECT_EQ(DefaultValueText(*d->FindFieldByName("vocab_size")), "8000");
  EXPECT_EQ(DefaultValueText(*d->FindFieldByName("character_coverage")), "0.9995");
  EXPECT_EQ(DefaultValueText(*d->FindFieldByName("shuffle_input_sentence")), "true");
  EXPECT_EQ(DefaultValueText(*d->FindFieldByName("model_type")), "UNIGRAM");
  t.add_input("x.txt");
  const std::string printed = PrintSpec(t, "trainer_spec");
  EXPECT_THAT(printed, HasSubstr("trainer_spec {\n  input: x.txt\n"));
  EXPECT_THAT(printed, HasSubstr("  vocab_size: 8000\n"));
  EXPECT_THAT(printed, HasSubstr("  model_type: UNIGRAM\n"));
  EXPECT_THAT(printed, ::testing::Not(HasSubstr("mining_sentence_size")));  // Deprecated.
}

TEST(ParseBoolWordTest, Words) {
  bool v;
  EXPECT_TRUE(ParseBoolWord("Yes", &v) && v);
  EXPECT_TRUE(ParseBoolWord("f", &v) && !v);
  EXPECT_FALSE(ParseBoolWord("", &v));
  EXPECT_FALSE(ParseBoolWord("2", &v));
}

TrainerSpec ValidSpec() {
  TrainerSpec t;
  t.set_vocab_size(100);
  return t;
}

TEST(VerifyTrainerSpecTest, Ranges) {
  EXPECT_TRUE(VerifyTrainerSpec(ValidSpec()).ok());
  struct Case {
    const char* field;
    const char* value;
    const char* message;
  };
  const Case cases[] = {
      {"vocab_size", "0", "vocab_size must be greater than 0 (got 0)."},
      {"character_coverage", "0.97", "character_coverage must be in [0.98, 1] (got 0.97)."},
      {"character_coverage", "1.01", "character_coverage must be in [0.98, 1] (got 1.01)."},
      {"max_sentencepiece_length", "0", "max_sentencepiece_length must be in [1, 512] (got 0)."},
      {"max_sentencepiece_length", "513",
       "max_sentencepiece_length must be in [1, 512] (got 513)."},
      {"num_sub_iterations", "11", "num_sub_iterations must be in [1, 10] (got 11)."},
      {"num_threads", "0", "num_threads must be in [1, 128] (got 0)."},
      {"num_threads", "129", "num_threads must be in [1, 128] (got 129)."},
      {"self_test_sample_size", "1001", "self_test_sample_size must be in [0, 1000] (got 1001)."},
      {"shrinking_factor", "0.96", "shrinking_factor must be in [0.5, 0.95] (got 0.96)."},
      {"max_sentence_length", "9", "max_sentence_length must be in [10, 1073741824] (got 9)."},
      {"input_sentence_size", "100", "input_sentence_size must be 0 or greater than 100 (got 100)."},
      {"unk_piece", "", "unk_piece must not be empty."},
      {"bos_piece", "", "bos_piece must not be empty."},
      {"eos_piece", "", "eos_piece must not be empty."},
      {"pad_piece", "", "pad_piece must not be empty."},
      {"input_format", "csv", "input_format \"csv\": Supported formats are 'text' and 'tsv'."},
  };
  for (const Case& c : cases) {
    TrainerSpec t = ValidSpec();
    ASSERT_TRUE(SetSpecField(c.field, c.value, &t).ok()) << c.field;
    const absl::Status s = VerifyTrainerSpec(t);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << c.field;
    EXPECT_EQ(s.message(), c.message);
  }
  for (auto type : {TrainerSpec::BPE, TrainerSpec::UNIGRAM}) {
    TrainerSpec t = ValidSpec();
    t.set_model_type(type);
    t.set_use_all_vocab(true);
    EXPECT_EQ(VerifyTrainerSpec(t).message(), "--use_all_vocab=true is valid for WORD/CHAR model.");
  }
  TrainerSpec t = ValidSpec();
  t.set_model_type(TrainerSpec::WORD);
  t.set_use_all_vocab(true);
  t.set_input_format("tsv");
  t.set_input_sentence_size(101);
  EXPECT_TRUE(VerifyTrainerSpec(t).ok());
}

using Piece = ModelProto::SentencePiece;

TEST(LayoutMetaPiecesTest, DefaultLayout) {
  TrainerSpec t = ValidSpec();
  t.add_control_symbols("<ctl>");
  t.add_user_defined_symbols("foo");
  t.add_user_defined_symbols("bar");
  auto meta = LayoutMetaPieces(t);
  ASSERT_TRUE(meta.ok());
  const MetaPieces expected = {{0, {"<unk>", Piece::UNKNOWN}},
                               {1, {"<s>", Piece::CONTROL}},
                               {2, {"</s>", Piece::CONTROL}},
                               {3, {"<ctl>", Piece::CONTROL}},
                               {4, {"foo", Piece::USER_DEFINED}},
                               {5, {"bar", Piece::USER_DEFINED}}};
  EXPECT_EQ(*meta, expected);
}

TEST(LayoutMetaPiecesTest, MovedIdsBytesAndRetypedMetaPieces) {
  TrainerSpec t = ValidSpec();
  t.set_vocab_size(300);
  t.set_unk_id(3);
  t.set_bos_id(-1);
  t.set_eos_id(0);
  t.set_pad_id(1);
  t.add_user_defined_symbols("</s>");  // Retypes eos instead of taking an id.
  t.set_byte_fallback(true);
  auto meta = LayoutMetaPieces(t);
  ASSERT_TRUE(meta.ok()) << meta.status();
  EXPECT_EQ(meta->size(), 3u + 256u);
  EXPECT_EQ(meta->at(0), std::make_pair(std::string("</s>"), Piece::USER_DEFINED));
  EXPECT_EQ(meta->at(1), std::make_pair(std::string("<pad>"), Piece::CONTROL));
  EXPECT_EQ(meta->at(2), std::make_pair(std::string("<0x00>"), Piece::BYTE));
  EXPECT_EQ(meta->at(3), std::make_pair(std::string("<unk>"), Piece::UNKNOWN));
  EXPECT_EQ(meta->at(4), std::make_pair(std::string("<0x01>"), Piece::BYTE));
  EXPECT_EQ(meta->at(258).first, "<0xFF>");
  EXPECT_EQ(BytePiece(0xAB), "<0xAB>");
}

TEST(LayoutMetaPiecesTest, Errors) {
  auto error = [](auto edit) {
    TrainerSpec t = ValidSpec();
    edit(&t);
    auto meta = LayoutMetaPieces(t);
    EXPECT_FALSE(meta.ok());
    return std::string(meta.status().message());
  };
  EXPECT_EQ(error([](TrainerSpec* t) { t->set_bos_id(100); }),
            "bos_id 100 (<s>) must be smaller than vocab_size (100).");
  EXPECT_EQ(error([](TrainerSpec* t) { t->set_eos_id(1); }),
            "eos_id 1 (</s>) is already used by <s>.");
  EXPECT_EQ(error([](TrainerSpec* t) { t->set_unk_id(-1); }), "<unk> must be defined.");
  EXPECT_EQ(error([](TrainerSpec* t) {
              t->set_pad_id(3);
              t->set_pad_piece("<unk>");
            }),
            "pad_id 3: <unk> is already defined as the unknown piece.");
  EXPECT_EQ(error([](TrainerSpec* t) {
              t->add_user_defined_symbols("x");
              t->add_user_defined_symbols("x");
            }),
            "x is already defined.");
  EXPECT_EQ(error([](TrainerSpec* t) { t->add_control_symbols("<unk>"); }),
            "<unk> must not be defined with --control_symbols and --user_defined_symbols.");
  EXPECT_EQ(error([](TrainerSpec* t) {
              t->set_byte_fallback(true);
              t->add_user_defined_symbols("<0x41>");
            }),
            "<0x41> is already defined.");
}

}  // namespace
}  // namespace sentencepiece
