// SentencePieceTrainer end to end: the three ways to give options, sentence
// iterators, output to a string, files written together, and the errors.
// Uses the identity rule and rule TSVs only (no built-in blob needed).

#include <dirent.h>
#include <sys/stat.h>

#include <cstdio>
#include <fstream>
#include <new>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sentencepiece_model.pb.h"
#include "sentencepiece_processor.h"
#include "sentencepiece_trainer.h"
#include "trainer/training_log.h"

namespace sentencepiece {
namespace {

using ::testing::HasSubstr;

std::string TempDir() {
  static const std::string dir = [] {
    char tmpl[] = "/tmp/spm_trainer_api_XXXXXX";
    return std::string(mkdtemp(tmpl));
  }();
  return dir;
}

std::string WriteFile(const std::string& name, const std::string& contents) {
  const std::string path = TempDir() + "/" + name;
  std::ofstream(path, std::ios::binary) << contents;
  return path;
}

std::string ReadFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

bool Exists(const std::string& path) { return std::ifstream(path).good(); }

std::string Corpus() {
  static const std::string path = WriteFile(
      "corpus.txt",
      "I saw a girl with a telescope.\nThe quick brown fox jumps over the lazy dog.\n"
      "Hello world. Hello there.\nlower lowest newer newest widest\n");
  return path;
}

class TrainerApiTest : public ::testing::Test {
 protected:
  void SetUp() override { training_log::SetMinLogLevel(2); }
};

TEST_F(TrainerApiTest, ArgsStringWritesModelAndVocab) {
  const std::string prefix = TempDir() + "/args";
  const util::Status s = SentencePieceTrainer::Train(absl::StrCat(
      "--input=", Corpus(), " --model_prefix=", prefix,
      " --model_type=bpe --vocab_size=60 --normalization_rule_name=identity"));
  ASSERT_TRUE(s.ok()) << s.ToString();
  SentencePieceProcessor sp;
  ASSERT_TRUE(sp.Load(prefix + ".model").ok());
  EXPECT_EQ(sp.GetPieceSize(), 60);
  std::vector<int> ids;
  ASSERT_TRUE(sp.Encode("Hello world", &ids).ok());
  std::string text;
  ASSERT_TRUE(sp.Decode(ids, &text).ok());
  EXPECT_EQ(text, "Hello world");
  const std::string vocab = ReadFile(prefix + ".vocab");
  // Meta pieces, then the merges (the first scores -0), then the characters.
  EXPECT_EQ(vocab.substr(0, 27), "<unk>\t0\n<s>\t0\n</s>\t0\ner\t-0\n");
}

TEST_F(TrainerApiTest, KwargsIteratorAndSerializedOutput) {
  class Lines : public SentenceIterator {
   public:
    bool done() const override { return i_ >= 40; }
    void Next() override { ++i_; }
    const std::string& value() const override {
      value_ = i_ % 2 ? "alpha beta gamma" : "beta delta";
      return value_;
    }
    util::Status status() const override { return util::OkStatus(); }

   private:
    int i_ = 0;
    mutable std::string value_;
  } it;
  std::string model;
  const util::Status s = SentencePieceTrainer::Train(
      {{"model_type", "word"}, {"vocab_size", "100"}, {"hard_vocab_limit", "false"},
       {"normalization_rule_name", "identity"}},
      &it, &model);
  ASSERT_TRUE(s.ok()) << s.ToString();
  ModelProto proto;
  ASSERT_TRUE(proto.ParseFromString(model));
  EXPECT_EQ(proto.pieces_size(), 7);  // 3 meta + ▁beta ▁alpha ▁delta ▁gamma
  EXPECT_EQ(proto.pieces(3).piece(), "▁beta");
  EXPECT_EQ(proto.trainer_spec().vocab_size(), 7);
  // The API sets only the fields given.
  EXPECT_FALSE(proto.trainer_spec().has_split_digits());
  EXPECT_TRUE(proto.normalizer_spec().has_precompiled_charsmap());
}

TEST_F(TrainerApiTest, IteratorErrorIsReturned) {
  class Broken : public SentenceIterator {
   public:
    bool done() const override { return true; }
    void Next() override {}
    const std::string& value() const override { return v_; }
    util::Status status() const override {
      return util::Status(util::StatusCode::kDataLoss, "disk on fire");
    }
    std::string v_;
  } it;
  std::string model;
  const util::Status s =
      SentencePieceTrainer::Train("--model_type=char --normalization_rule_name=identity", &it, &model);
  EXPECT_EQ(s.code(), util::StatusCode::kDataLoss);
  EXPECT_STREQ(s.message(), "disk on fire");
}

TEST_F(TrainerApiTest, OutOfMemoryReachesTheCallerAndLeavesTheOldPair) {
  // Running out of memory is std::bad_alloc from Train() (see
  // sentencepiece_trainer.h), with a previous .model/.vocab pair at the
  // prefix untouched and no temporary file left beside it.
  class RunsOut : public SentenceIterator {
   public:
    bool done() const override { return false; }
    void Next() override {
      if (++i_ == 30) throw std::bad_alloc();
    }
    const std::string& value() const override { return v_; }
    util::Status status() const override { return util::OkStatus(); }

   private:
    int i_ = 0;
    std::string v_ = "alpha beta gamma delta";
  } it;
  const std::string dir = TempDir() + "/oom";
  ASSERT_EQ(mkdir(dir.c_str(), 0755), 0);
  const std::string prefix = dir + "/m";
  WriteFile("oom/m.model", "old model");
  WriteFile("oom/m.vocab", "old vocab");
  EXPECT_THROW(SentencePieceTrainer::Train(
                   absl::StrCat("--model_type=bpe --vocab_size=20 --hard_vocab_limit=false "
                                "--normalization_rule_name=identity --model_prefix=",
                                prefix),
                   &it),
               std::bad_alloc);
  EXPECT_EQ(ReadFile(prefix + ".model"), "old model");
  EXPECT_EQ(ReadFile(prefix + ".vocab"), "old vocab");
  int entries = 0;
  if (DIR* d = opendir(dir.c_str())) {
    while (const dirent* e = readdir(d)) entries += e->d_name[0] != '.';
    closedir(d);
  }
  EXPECT_EQ(entries, 2);
}

TEST_F(TrainerApiTest, SpecsTsvInputAndSelfTest) {
  TrainerSpec t;
  t.add_input(WriteFile("words.tsv", "hello\t5\nworld\t3\nhi\t1\n"));
  t.set_input_format("tsv");
  t.set_model_type(TrainerSpec::CHAR);
  t.set_self_test_sample_size(2);
  t.set_model_prefix(TempDir() + "/tsv");
  NormalizerSpec n;
  n.set_name("identity");
  ASSERT_TRUE(SentencePieceTrainer::Train(t, n).ok());
  ModelProto proto;
  ASSERT_TRUE(proto.ParseFromString(ReadFile(TempDir() + "/tsv.model")));
  EXPECT_EQ(proto.pieces(3).piece(), "l");  // l: 5*2 + 3 = 13, the most frequent.
  EXPECT_EQ(proto.self_test_data().samples_size(), 2);
  SentencePieceProcessor sp;
  EXPECT_TRUE(sp.Load(proto).ok());  // The self-test passes on load.
}

TEST_F(TrainerApiTest, DifferentialPrivacyClipping) {
  // No noise: frequencies below the threshold drop their sentences.
  const std::string tsv = WriteFile("dp.tsv", "common\t50\nrare\t2\n");
  std::string model;
  ASSERT_TRUE(SentencePieceTrainer::Train(
                  absl::StrCat("--input=", tsv,
                               " --input_format=tsv --model_type=word --vocab_size=100 "
                               "--hard_vocab_limit=false --normalization_rule_name=identity "
                               "--enable_differential_privacy "
                               "--differential_privacy_clipping_threshold=10"),
                  nullptr, &model)
                  .ok());
  ModelProto proto;
  ASSERT_TRUE(proto.ParseFromString(model));
  ASSERT_EQ(proto.pieces_size(), 4);
  EXPECT_EQ(proto.pieces(3).piece(), "▁common");
}

TEST_F(TrainerApiTest, CustomRulesAndDenormalizer) {
  const std::string rules = WriteFile("rules.tsv", "41\t61\n");  // A -> a
  const std::string prefix = TempDir() + "/rules";
  ASSERT_TRUE(SentencePieceTrainer::Train(absl::StrCat("--input=", Corpus(),
                                                       " --model_prefix=", prefix,
                                                       " --model_type=char --normalization_rule_tsv=",
                                                       rules, " --denormalization_rule_tsv=", rules))
                  .ok());
  ModelProto proto;
  ASSERT_TRUE(proto.ParseFromString(ReadFile(prefix + ".model")));
  EXPECT_EQ(proto.normalizer_spec().name(), "user_defined");
  EXPECT_EQ(proto.normalizer_spec().normalization_rule_tsv(), rules);
  ASSERT_TRUE(proto.has_denormalizer_spec());
  EXPECT_FALSE(proto.denormalizer_spec().add_dummy_prefix());
  EXPECT_FALSE(proto.denormalizer_spec().escape_whitespaces());
}

TEST_F(TrainerApiTest, Errors) {
  auto train = [](const std::string& args) {
    return SentencePieceTrainer::Train(absl::StrCat("--input=", Corpus(), " --model_prefix=",
                                                    TempDir(), "/err ", args));
  };
  struct Case {
    std::string args;
    util::StatusCode code;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"--vocab_size=abc", util::StatusCode::kInvalidArgument,
       "vocab_size: cannot parse \"abc\" as int32."},
      {"--no_such_flag=1", util::StatusCode::kNotFound,
       "unknown field name \"no_such_flag\" in TrainerSpec."},
      {"--model_type=bpe --vocab_size=1000 --normalization_rule_name=identity",
       util::StatusCode::kInvalidArgument,
       "Vocabulary size too high (1000). Please set it to a value <= "},
      {"--model_type=bpe --vocab_size=10 --normalization_rule_name=identity",
       util::StatusCode::kInvalidArgument,
       "Vocabulary size is smaller than required_chars. 10 vs "},
      {"--model_type=word --vocab_size=1000 --normalization_rule_name=identity",
       util::StatusCode::kInvalidArgument, "Vocabulary size too high (1000)."},
      {"--model_type=unigram --vocab_size=10 --normalization_rule_name=identity",
       util::StatusCode::kInvalidArgument,
       "Vocabulary size is smaller than required_chars. 10 vs "},
      {"--model_type=unigram --vocab_size=100000 --normalization_rule_name=identity",
       util::StatusCode::kInvalidArgument, "Vocabulary size too high (100000)."},
      {"--model_type=bpe --use_all_vocab --normalization_rule_name=identity",
       util::StatusCode::kInvalidArgument,
       "--use_all_vocab=true is valid for WORD/CHAR model."},
      {"--normalization_rule_name=no_such_rule", util::StatusCode::kNotFound,
       "No precompiled charsmap is found: no_such_rule"},
      {"--model_type=char --normalization_rule_name=identity --escape_whitespaces=false",
       util::StatusCode::kInvalidArgument, "escape_whitespaces must be true"},
      {"--model_type=char --normalization_rule_name=identity --max_sentence_length=10",
       util::StatusCode::kInvalidArgument, "The corpus is empty"},
      {"--model_type=char --vocab_size=100 --byte_fallback --normalization_rule_name=identity",
       util::StatusCode::kInvalidArgument,
       "vocab_size is smaller than the number of meta pieces."},
      {"--minloglevel=x", util::StatusCode::kInvalidArgument,
       "minloglevel: cannot parse \"x\" as int."},
  };
  for (const Case& c : cases) {
    const util::Status s = train(c.args);
    EXPECT_EQ(s.code(), c.code) << c.args << ": " << s.ToString();
    EXPECT_THAT(std::string(s.message()), HasSubstr(c.message)) << c.args;
  }
  EXPECT_FALSE(Exists(TempDir() + "/err.model"));
  EXPECT_FALSE(Exists(TempDir() + "/err.vocab"));

  // Exclusive inputs and outputs.
  std::string model;
  util::Status s = SentencePieceTrainer::Train(
      absl::StrCat("--input=", Corpus(), " --model_prefix=x --model_type=char --normalization_rule_name=identity"),
      nullptr, &model);
  EXPECT_STREQ(s.message(), "ModelProto and trainer_spec.model_prefix() must be exclusive.");
  s = SentencePieceTrainer::Train(
      "--model_prefix=x --model_type=char --normalization_rule_name=identity");
  EXPECT_STREQ(s.message(), "SentenceIterator and trainer_spec.input() must be exclusive.");
  s = SentencePieceTrainer::Train(
      absl::StrCat("--input=/nonexistent.txt --model_prefix=", TempDir(),
                   "/nf --normalization_rule_name=identity --model_type=char"));
  EXPECT_EQ(s.code(), util::StatusCode::kNotFound);
  EXPECT_FALSE(Exists(TempDir() + "/nf.model"));
  s = SentencePieceTrainer::Train(absl::StrCat("--input=", Corpus(),
                                               " --model_prefix=/nonexistent_dir/m --model_type=char "
                                               "--normalization_rule_name=identity"));
  EXPECT_EQ(s.code(), util::StatusCode::kNotFound) << s.ToString();
}

TEST_F(TrainerApiTest, HelperFunctions) {
  TrainerSpec t;
  NormalizerSpec n, d;
  ASSERT_TRUE(SentencePieceTrainer::PopulateModelTypeFromString("WoRd", &t).ok());
  EXPECT_EQ(t.model_type(), TrainerSpec::WORD);
  EXPECT_STREQ(SentencePieceTrainer::PopulateModelTypeFromString("x", &t).message(),
               "\"x\" is not found in TrainerSpec");
  ASSERT_TRUE(SentencePieceTrainer::MergeSpecsFromArgs(
                  "--vocab_size=77 add_dummy_prefix=false --denormalization_rule_tsv=r.tsv", &t,
                  &n, &d)
                  .ok());
  EXPECT_EQ(t.vocab_size(), 77);
  EXPECT_FALSE(n.add_dummy_prefix());
  EXPECT_EQ(d.normalization_rule_tsv(), "r.tsv");
  EXPECT_TRUE(SentencePieceTrainer::SetProtoField("split_digits", "true", &t).ok());
  EXPECT_TRUE(SentencePieceTrainer::SetProtoField("escape_whitespaces", "0", &n).ok());
  EXPECT_EQ(SentencePieceTrainer::SetProtoField("x", "0", &n).code(), util::StatusCode::kNotFound);
  const NormalizerSpec id = SentencePieceTrainer::GetNormalizerSpec("identity");
  EXPECT_EQ(id.name(), "identity");
  EXPECT_TRUE(id.has_precompiled_charsmap());
  NormalizerSpec both;
  both.set_normalization_rule_tsv("r.tsv");
  both.set_precompiled_charsmap("x");
  EXPECT_STREQ(SentencePieceTrainer::PopulateNormalizerSpec(&both).message(),
               "precompiled_charsmap is already defined.");
  NormalizerSpec denorm;  // A denormalizer without a TSV stays empty.
  ASSERT_TRUE(SentencePieceTrainer::PopulateNormalizerSpec(&denorm, true).ok());
  EXPECT_FALSE(denorm.has_name());
}

TEST_F(TrainerApiTest, ProgressIsLoggedAndQuietWithMinLogLevel) {
  std::vector<std::string> lines;
  training_log::SetLogSink([&lines](std::string_view l) { lines.emplace_back(l); });
  training_log::SetMinLogLevel(0);
  std::string model;
  ASSERT_TRUE(SentencePieceTrainer::Train(absl::StrCat("--input=", Corpus(),
                                                       " --model_type=char "
                                                       "--normalization_rule_name=identity"),
                                          nullptr, &model)
                  .ok());
  std::string all;
  for (const auto& l : lines) all += l + "\n";
  EXPECT_THAT(all, HasSubstr("trainer: Loading and normalizing sentences: done in"));
  EXPECT_THAT(all, HasSubstr("trainer_spec {"));
  lines.clear();
  ASSERT_TRUE(SentencePieceTrainer::Train(absl::StrCat("--input=", Corpus(),
                                                       " --model_type=char --minloglevel=1 "
                                                       "--normalization_rule_name=identity"),
                                          nullptr, &model)
                  .ok());
  EXPECT_TRUE(lines.empty());
  training_log::SetLogSink(nullptr);
}

}  // namespace
}  // namespace sentencepiece
