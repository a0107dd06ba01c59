// The pieces of the training pipeline: word splitting, piece validity,
// Unicode scripts, sampling, sentence storage and loading, the character
// set, and the model/.vocab output.

#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "normalizer/normalizer.h"
#include "trainer/corpus_preprocessor.h"
#include "trainer/model_writer.h"
#include "trainer/piece_validator.h"
#include "trainer/reservoir_sampler.h"
#include "trainer/sentence_loader.h"
#include "trainer/sentence_store.h"
#include "trainer/unicode_script.h"
#include "trainer/word_split.h"

namespace sentencepiece {
namespace {

using ::testing::ElementsAre;

std::vector<std::string> Split(std::string_view s, bool suffix, bool runs) {
  std::vector<std::string> out;
  for (auto w : SplitIntoWordsForTraining(s, suffix, runs)) out.emplace_back(w);
  return out;
}

TEST(WordSplitTest, BothModes) {
  EXPECT_THAT(Split("▁a▁▁b", false, false), ElementsAre("▁a", "▁", "▁b"));
  EXPECT_THAT(Split("▁a▁▁b", false, true), ElementsAre("▁a", "▁▁b"));
  EXPECT_THAT(Split("a▁▁b▁", true, false), ElementsAre("a▁", "▁", "b▁"));
  EXPECT_THAT(Split("a▁▁b▁", true, true), ElementsAre("a▁▁", "b▁"));
  EXPECT_THAT(Split("ab", false, false), ElementsAre("ab"));
  EXPECT_THAT(Split("ab▁", false, false), ElementsAre("ab", "▁"));
  EXPECT_THAT(Split("▁▁", false, true), ElementsAre("▁▁"));
  EXPECT_THAT(Split("▁▁", true, false), ElementsAre("▁", "▁"));
  EXPECT_THAT(Split("", false, false), ElementsAre());
  EXPECT_THAT(Split("▁a\tb▁c", false, false), ElementsAre("▁a\tb", "▁c"));
}

TEST(PieceValidatorTest, Defaults) {
  TrainerSpec spec;
  PieceValidator v(spec);
  EXPECT_TRUE(v.IsValid(U"▁the"));
  EXPECT_FALSE(v.IsValid(U"the▁"));
  EXPECT_FALSE(v.IsValid(U"a▁b"));
  EXPECT_FALSE(v.IsValid(U"a,"));   // Latin + Common.
  EXPECT_FALSE(v.IsValid(U"F1"));   // Latin + digit (Common).
  EXPECT_TRUE(v.IsValid(U"12"));
  EXPECT_TRUE(v.IsValid(U"日本語です"));  // Hiragana counts as Han.
  EXPECT_TRUE(v.IsValid(U"コーヒー"));    // U+30FC too.
  EXPECT_TRUE(v.IsValid(U"e\u0301t"));  // Inherited takes the previous script.
  EXPECT_FALSE(v.IsValid(U"a\u2585"));
  EXPECT_FALSE(v.IsValid(U"a\tb"));
  EXPECT_FALSE(v.IsValid(U"a b"));
  EXPECT_FALSE(v.IsValid(std::u32string(1, 0)));
  EXPECT_FALSE(v.IsValid(std::u32string(1, 0xD800)));
  EXPECT_FALSE(v.IsValid(U""));
  EXPECT_TRUE(v.IsValid(std::u32string(16, U'a')));
  EXPECT_FALSE(v.IsValid(std::u32string(17, U'a')));
  EXPECT_FALSE(v.IsValid(U"▁▁"));
}

TEST(PieceValidatorTest, Options) {
  TrainerSpec spec;
  spec.set_split_by_number(false);
  EXPECT_TRUE(PieceValidator(spec).IsValid(U"F1"));
  spec = TrainerSpec();
  spec.set_split_digits(true);
  EXPECT_FALSE(PieceValidator(spec).IsValid(U"12"));
  EXPECT_TRUE(PieceValidator(spec).IsValid(U"1"));
  EXPECT_FALSE(PieceValidator(spec).IsValid(U"１２"));  // Fullwidth digits too.
  spec = TrainerSpec();
  spec.set_split_by_unicode_script(false);
  EXPECT_TRUE(PieceValidator(spec).IsValid(U"a,"));
  spec = TrainerSpec();
  spec.set_allow_whitespace_only_pieces(true);
  EXPECT_TRUE(PieceValidator(spec).IsValid(U"▁▁"));
  EXPECT_FALSE(PieceValidator(spec).IsValid(U"▁▁a"));
  spec = TrainerSpec();
  spec.set_split_by_whitespace(false);
  EXPECT_TRUE(PieceValidator(spec).IsValid(U"a▁b"));
  EXPECT_FALSE(PieceValidator(spec).IsValid(U"ab▁"));
  EXPECT_TRUE(PieceValidator(spec).IsValid(U"▁"));
  spec = TrainerSpec();
  spec.set_treat_whitespace_as_suffix(true);
  EXPECT_TRUE(PieceValidator(spec).IsValid(U"the▁"));
  EXPECT_FALSE(PieceValidator(spec).IsValid(U"▁the"));
  spec.set_split_by_whitespace(false);
  EXPECT_TRUE(PieceValidator(spec).IsValid(U"a▁b"));
  EXPECT_FALSE(PieceValidator(spec).IsValid(U"▁ab"));
  spec = TrainerSpec();
  spec.set_max_sentencepiece_length(2);
  EXPECT_FALSE(PieceValidator(spec).IsValid(U"abc"));
}

TEST(UnicodeScriptTest, PinnedToUnicode9) {
  using namespace unicode_script;
  EXPECT_EQ(GetScript(U'a'), GetScript(U'Z'));
  EXPECT_EQ(GetScript(U','), kCommon);
  EXPECT_EQ(GetScript(0x4E00), kHan);
  EXPECT_EQ(GetScript(0x3042), kHiragana);
  EXPECT_EQ(GetScript(0x30A2), kKatakana);
  EXPECT_EQ(GetScript(0x0301), kInherited);
  EXPECT_EQ(GetScript(0x0589), kCommon);  // Armenian since Unicode 11.
  EXPECT_EQ(GetScript(0x061C), kCommon);
  EXPECT_EQ(GetScript(0x0953), GetScript(0x0915));  // Devanagari in 9.0.
  EXPECT_EQ(GetScript(0x1E900), GetScript(0x1E901));  // Adlam (9.0).
  EXPECT_NE(GetScript(0x1E900), kCommon);
  EXPECT_EQ(GetScript(0x10D00), kCommon);  // Hanifi Rohingya, Unicode 11.
  EXPECT_EQ(GetScript(0x0378), kCommon);   // Unassigned.
  EXPECT_EQ(GetScript(0x110000), kCommon);
}

TEST(ReservoirSamplerTest, UniformMatchesLibstdcxx) {
  // The standard library we are built with is the reference's (libstdc++).
  std::mt19937 a(7), b(7);
  for (uint64_t max : {0ull, 1ull, 2ull, 6ull, 100ull, 12345ull, 0xFFFFFFFEull, 0xFFFFFFFFull,
                       0x100000000ull, 0x123456789ABull, ~0ull}) {
    for (int i = 0; i < 200; ++i) {
      std::uniform_int_distribution<uint64_t> d(0, max);
      ASSERT_EQ(UniformUint64(&a, max), d(b)) << max;
    }
  }
}

TEST(ReservoirSamplerTest, FillsThenReplaces) {
  ReservoirSampler s(3, 12345678);
  EXPECT_EQ(s.Add(), 0);
  EXPECT_EQ(s.Add(), 1);
  EXPECT_EQ(s.Add(), 2);
  std::mt19937 gen(12345678);
  for (uint64_t t = 4; t < 100; ++t) {
    const uint64_t n = std::uniform_int_distribution<uint64_t>(0, t - 1)(gen);
    EXPECT_EQ(s.Add(), n < 3 ? static_cast<int64_t>(n) : -1);
  }
  EXPECT_EQ(s.total(), 99u);
  ReservoirSampler none(0, 1);
  EXPECT_EQ(none.Add(), -1);
  EXPECT_EQ(none.total(), 0u);
}

TEST(SentenceStoreTest, AddReplaceSwapCompact) {
  SentenceStore s;
  s.Add("abc", 1);
  s.Add("de", 2);
  s.Replace(0, "xyz!", 5);
  EXPECT_EQ(s.text(0), "xyz!");
  EXPECT_EQ(s.freq(0), 5);
  s.Swap(0, 1);
  EXPECT_EQ(s.text(0), "de");
  const std::string big(1 << 20, 'q');
  for (int i = 0; i < 4; ++i) s.Replace(1, big, i);  // Triggers compaction.
  EXPECT_LT(s.buffer_bytes(), 3u << 20);
  EXPECT_EQ(s.text(1), big);
  SentenceStore t;
  t.Add("zz", -1);
  s.Append(&t);
  EXPECT_EQ(s.size(), 3u);
  EXPECT_TRUE(t.empty());
  s.RemoveNonPositive();
  EXPECT_EQ(s.size(), 2u);
  s.PopBack();
  EXPECT_EQ(s.size(), 1u);
}

class VectorSource : public LineSource {
 public:
  explicit VectorSource(std::vector<std::string> lines) : lines_(std::move(lines)) {}
  bool ReadLine(std::string* line) override {
    if (next_ == lines_.size()) return false;
    *line = lines_[next_++];
    return true;
  }
  absl::Status status() const override { return absl::OkStatus(); }

 private:
  std::vector<std::string> lines_;
  size_t next_ = 0;
};

TEST(SentenceLoaderTest, SkipsAndTsv) {
  TrainerSpec spec;
  spec.set_max_sentence_length(10);
  VectorSource text({"a b", "", "this line is too long", "x\xE2\x96\x85y", "ok"});
  auto c = LoadSentences(spec, &text);
  ASSERT_TRUE(c.ok());
  ASSERT_EQ(c->sentences.size(), 2u);
  EXPECT_EQ(c->sentences.text(1), "ok");
  EXPECT_EQ(c->too_long, 1u);
  spec.set_input_format("tsv");
  VectorSource tsv({"hello\t3", "w\t1"});
  c = LoadSentences(spec, &tsv);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->sentences.text(0), "hello");
  EXPECT_EQ(c->sentences.freq(0), 3);
  for (const char* bad : {"no tab", "a\tb\tc", "a\tx", "a\t0", ""}) {
    VectorSource src({bad});
    auto r = LoadSentences(spec, &src);
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
  VectorSource src({"a\tb\tc"});
  EXPECT_EQ(LoadSentences(spec, &src).status().message(),
            "Input format must be: word <tab> freq. a\tb\tc");
  VectorSource src2({"a\tx"});
  EXPECT_EQ(LoadSentences(spec, &src2).status().message(), "Could not parse the frequency: a\tx");
  VectorSource src3({"a\t0"});
  EXPECT_EQ(LoadSentences(spec, &src3).status().message(), "The frequency must be >= 1: a\t0");
}

TEST(SentenceLoaderTest, SamplingAndFirstN) {
  std::vector<std::string> lines;
  for (int i = 0; i < 1000; ++i) lines.push_back("s" + std::to_string(i));
  TrainerSpec spec;
  spec.set_input_sentence_size(101);
  spec.set_shuffle_input_sentence(false);
  VectorSource first(lines);
  auto c = LoadSentences(spec, &first);
  ASSERT_TRUE(c.ok());
  ASSERT_EQ(c->sentences.size(), 101u);
  EXPECT_EQ(c->sentences.text(100), "s100");
  spec.set_shuffle_input_sentence(true);
  VectorSource all(lines);
  c = LoadSentences(spec, &all);
  ASSERT_TRUE(c.ok());
  ASSERT_EQ(c->sentences.size(), 101u);
  EXPECT_EQ(c->accepted, 1000u);
  // The reference's selection: slot n = uniform(0, t-1) on mt19937(12345678).
  std::vector<std::string> expected(lines.begin(), lines.begin() + 101);
  std::mt19937 gen(12345678);
  for (uint64_t t = 102; t <= 1000; ++t) {
    const uint64_t n = std::uniform_int_distribution<uint64_t>(0, t - 1)(gen);
    if (n < 101) expected[n] = lines[t - 1];
  }
  for (size_t i = 0; i < 101; ++i) EXPECT_EQ(c->sentences.text(i), expected[i]);
}

TEST(SentenceLoaderTest, FileErrors) {
  auto src = NewFileLineSource({"/nonexistent/file.txt"});
  TrainerSpec spec;
  auto c = LoadSentences(spec, src.get());
  EXPECT_EQ(c.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(c.status().message()), ::testing::HasSubstr("/nonexistent/file.txt"));
}

TEST(CorpusPreprocessorTest, NormalizeRemovesEmptiesAsTheReference) {
  NormalizerSpec ns;  // identity: empty charsmap
  ns.set_name("identity");
  auto normalizer = Normalizer::Create(ns, false);
  ASSERT_TRUE(normalizer.ok());
  SentenceStore s;
  for (const char* t : {"a", " ", "b <s> c", " ", "  "}) s.Add(t, 1);
  MetaPieces meta = {{0, {"<unk>", ModelProto::SentencePiece::UNKNOWN}},
                     {1, {"<s>", ModelProto::SentencePiece::CONTROL}}};
  ASSERT_TRUE(NormalizeSentences(**normalizer, meta, 2, &s).ok());
  // [a, "", b.., "", ""]: index 1 gets the last (""), which stays unchecked;
  // index 3 is removed.
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s.text(0), "▁a");
  EXPECT_EQ(s.text(1), "");
  EXPECT_EQ(s.text(2), "▁b▁\t▁c");
}

TEST(CorpusPreprocessorTest, CharacterCoverage) {
  SentenceStore s;
  s.Add("aaaaaaaaab\tc", 10);  // a:90 b:10 TAB:10 c:10, total 120
  TrainerSpec spec;
  spec.set_character_coverage(0.98);
  auto chars = SelectCharacters(spec, s, 2);
  ASSERT_TRUE(chars.ok());
  // Sorted: a 90, TAB 10 (U+0009 first), b 10, c 10; coverage before each:
  // 0, .75, .83, .92 < .98: all kept but TAB.
  EXPECT_THAT(chars->chars, ElementsAre(std::pair<char32_t, int64_t>{U'a', 90},
                                        std::pair<char32_t, int64_t>{U'b', 10},
                                        std::pair<char32_t, int64_t>{U'c', 10}));
  spec.set_required_chars("zc");
  spec.set_character_coverage(0.98);
  s = SentenceStore();
  s.Add(std::string(1000, 'a') + "bc", 1);
  chars = SelectCharacters(spec, s, 1);
  ASSERT_TRUE(chars.ok());
  // Chosen: required first (c:1, z:0), then a; b is not reached. Listed by count.
  EXPECT_THAT(chars->chars, ElementsAre(std::pair<char32_t, int64_t>{U'a', 1000},
                                        std::pair<char32_t, int64_t>{U'c', 1},
                                        std::pair<char32_t, int64_t>{U'z', 0}));
  MarkUnknownCharacters(*chars, &s, 2);
  EXPECT_EQ(s.text(0), std::string(1000, 'a') + "\xE2\x96\x85" + "c");
  spec.set_required_chars("\xFF");
  EXPECT_EQ(SelectCharacters(spec, s, 1).status().message(),
            "required_chars is not valid UTF-8 at byte 0.");
  spec.set_required_chars("\xE2\x96\x85");
  EXPECT_EQ(SelectCharacters(spec, s, 1).status().message(),
            "U+2585 is reserved for unknown characters and cannot be a required character.");
}

TrainingResult SmallResult() {
  TrainingResult r;
  r.trainer_spec.set_vocab_size(5);
  r.trainer_spec.set_model_type(TrainerSpec::BPE);
  r.normalizer_spec.set_name("identity");
  r.normalizer_spec.set_precompiled_charsmap("");
  r.meta_pieces = {{0, {"<unk>", ModelProto::SentencePiece::UNKNOWN}},
                   {2, {"<s>", ModelProto::SentencePiece::CONTROL}}};
  r.pieces = {{"▁a", -0.0f}, {"b", -1.0f}, {"▁", -2.5f}};
  return r;
}

TEST(ModelWriterTest, LayoutAndVocabText) {
  auto model = BuildModel(SmallResult());
  ASSERT_TRUE(model.ok()) << model.status();
  EXPECT_EQ(VocabText(*model, true), "<unk>\t0\n▁a\t-0\n<s>\t0\nb\t-1\n▁\t-2.5\n");
  EXPECT_EQ(VocabText(*model, false), "<unk>\n▁a\n<s>\nb\n▁\n");
  EXPECT_FALSE(model->pieces(1).has_type());  // Learned pieces: piece + score only.
  EXPECT_TRUE(model->pieces(0).has_score());
  EXPECT_FALSE(model->has_denormalizer_spec());
}

TEST(ModelWriterTest, Errors) {
  TrainingResult r = SmallResult();
  r.trainer_spec.set_vocab_size(9);
  EXPECT_EQ(BuildModel(r).status().message(),
            "Vocabulary size too high (9). Please set it to a value <= 5.");
  r.trainer_spec.set_hard_vocab_limit(false);
  auto soft = BuildModel(r);
  ASSERT_TRUE(soft.ok());
  EXPECT_EQ(soft->trainer_spec().vocab_size(), 5);
  r = SmallResult();
  r.meta_pieces[4] = {"<pad>", ModelProto::SentencePiece::CONTROL};
  r.pieces.resize(1);
  EXPECT_EQ(BuildModel(r).status().message(),
            "Vocabulary size too high (5). Please set it to a value <= 4.");
  r = SmallResult();
  r.pieces[1].first = "▁a";
  EXPECT_EQ(BuildModel(r).status().message(), "▁a is already defined");
  r.pieces[1].first = "";
  EXPECT_EQ(BuildModel(r).status().message(), "piece must not be empty.");
  r.pieces[1].first = "\xC3";
  EXPECT_EQ(BuildModel(r).status().message(), "piece is not valid UTF-8: \xC3");
}

// The model files are written as the tools write their outputs: through
// a symbolic link onto its target (the link stays), with no temporary file
// left behind, and an unwritable prefix is an error naming the file.
TEST(ModelWriterTest, WritesThroughLinksAndLeavesNoTemporaries) {
  const std::string dir = ::testing::TempDir() + "/model_writer_links";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir + "/real");
  for (const char* ext : {".model", ".vocab"}) {
    std::ofstream(dir + "/real/m" + ext) << "old";
    std::filesystem::create_symlink("real/m" + std::string(ext), dir + "/p" + ext);
  }
  auto model = BuildModel(SmallResult());
  ASSERT_TRUE(model.ok()) << model.status();
  ASSERT_TRUE(WriteModelFiles(dir + "/p", *model).ok());
  for (const char* ext : {".model", ".vocab"}) {
    EXPECT_TRUE(std::filesystem::is_symlink(dir + "/p" + ext)) << ext;
  }
  std::ifstream in(dir + "/real/m.model", std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ModelProto read;
  ASSERT_TRUE(read.ParseFromString(bytes));
  EXPECT_EQ(read.SerializeAsString(), model->SerializeAsString());
  std::ifstream vin(dir + "/real/m.vocab");
  const std::string vocab((std::istreambuf_iterator<char>(vin)), std::istreambuf_iterator<char>());
  EXPECT_EQ(vocab, VocabText(*model, true));
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    EXPECT_EQ(e.path().filename().string().find(".tmp."), std::string::npos) << e.path();
  }
  const absl::Status missing = WriteModelFiles(dir + "/no/such/dir/p", *model);
  EXPECT_FALSE(missing.ok());
  EXPECT_NE(missing.message().find(dir + "/no/such/dir/p.model"), std::string_view::npos)
      << missing.message();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace sentencepiece
