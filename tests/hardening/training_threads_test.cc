// Multi-threaded training: models of every type (BPE, word, char, unigram)
// trained with 1, 2 and 8 threads from the same corpus have the same pieces
// and scores (only trainer_spec.num_threads differs in the model). Built with TSan by
// scripts/sanitize.sh, so it also checks the trainer's threads for races.

#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "sentencepiece_processor.h"
#include "sentencepiece_trainer.h"
#include "trainer/training_log.h"

namespace sentencepiece {
namespace {

class LinesIterator : public SentenceIterator {
 public:
  explicit LinesIterator(const std::vector<std::string>* lines) : lines_(lines) {}
  bool done() const override { return i_ >= lines_->size(); }
  void Next() override { ++i_; }
  const std::string& value() const override { return (*lines_)[i_]; }
  util::Status status() const override { return util::OkStatus(); }

 private:
  const std::vector<std::string>* lines_;
  size_t i_ = 0;
};

// Many distinct words made of syllables, some digits and punctuation.
std::vector<std::string> Corpus(int lines) {
  static const char* const kSyllables[] = {"ka", "to", "ri",  "mu", "sen", "pa", "lo",
                                           "qi", "zu", "ne",  "xa", "bo",  "dri", "ght",
                                           "eu", "an", "ish", "ve", "7",   ",",   "\xC3\xA9"};
  std::mt19937 rng(7);
  std::vector<std::string> out;
  for (int i = 0; i < lines; ++i) {
    std::string line;
    for (int w = 0; w < 10; ++w) {
      if (w > 0) line += ' ';
      const int n = 1 + static_cast<int>(rng() % 5);
      for (int s = 0; s < n; ++s) line += kSyllables[rng() % std::size(kSyllables)];
    }
    out.push_back(line);
  }
  return out;
}

std::vector<std::pair<std::string, float>> Train(TrainerSpec::ModelType type, int threads,
                                                 const std::vector<std::string>& corpus) {
  TrainerSpec spec;
  spec.set_model_type(type);
  spec.set_vocab_size(1500);
  spec.set_num_threads(threads);
  NormalizerSpec normalizer;
  normalizer.set_name("identity");
  LinesIterator it(&corpus);
  std::string model;
  training_log::SetMinLogLevel(2);
  const util::Status s = SentencePieceTrainer::Train(spec, normalizer, &it, &model);
  EXPECT_TRUE(s.ok()) << s.ToString();
  SentencePieceProcessor sp;
  EXPECT_TRUE(sp.LoadFromSerializedProto(model).ok());
  std::vector<std::pair<std::string, float>> pieces;
  for (int id = 0; id < sp.GetPieceSize(); ++id) {
    pieces.emplace_back(sp.IdToPiece(id), sp.GetScore(id));
  }
  return pieces;
}

TEST(TrainingThreadsTest, SameVocabularyWithAnyThreadCount) {
  const std::vector<std::string> corpus = Corpus(6000);
  for (TrainerSpec::ModelType type :
       {TrainerSpec::BPE, TrainerSpec::WORD, TrainerSpec::CHAR, TrainerSpec::UNIGRAM}) {
    const auto one = Train(type, 1, corpus);
    ASSERT_FALSE(one.empty());
    for (int threads : {2, 8}) {
      EXPECT_EQ(Train(type, threads, corpus), one) << "model type " << type << ", " << threads
                                                   << " threads";
    }
  }
}

}  // namespace
}  // namespace sentencepiece
