// SentencePieceProcessor: n-best, sampling, scored samples, entropy and
// vocabulary restriction. Thin wrappers over Processor.

#include "common/random.h"
#include "encoder/processor.h"
#include "facade_util.h"
#include "sentencepiece_processor.h"

namespace sentencepiece {
namespace {

using facade::FillTokens;
using facade::NotLoaded;
using facade::ToUtil;

// Copies several results into an NBestSentencePieceText.
void FillNBest(std::string_view input, const NBestOutput& out, NBestSentencePieceText* nbest) {
  nbest->Clear();
  for (size_t i = 0; i < out.results.size(); ++i) {
    SentencePieceText* spt = nbest->add_nbests();
    FillTokens(input, out.results[i], spt);
    spt->set_score(out.scores[i]);
  }
}

template <typename T>
T Project(const Token& t);
template <>
std::string Project<std::string>(const Token& t) {
  return std::string(t.piece);
}
template <>
int Project<int>(const Token& t) {
  return t.id;
}

template <typename T>
std::vector<T> ProjectAll(const std::vector<Token>& tokens) {
  std::vector<T> out;
  out.reserve(tokens.size());
  for (const Token& t : tokens) out.push_back(Project<T>(t));
  return out;
}

}  // namespace

void SetRandomGeneratorSeed(unsigned int seed) { random::SetSeed(seed); }

// ------------------------------------------------------------------ n-best

#define SPM_REQUIRE_LOADED() \
  if (!processor_) return NotLoaded()

util::Status SentencePieceProcessor::NBestEncode(std::string_view input, int nbest_size,
                                                 NBestSentencePieceText* nbest_spt) const {
  SPM_REQUIRE_LOADED();
  NBestOutput out;
  if (auto s = processor_->NBestEncode(input, nbest_size, &out); !s.ok()) return ToUtil(s);
  FillNBest(input, out, nbest_spt);
  return util::Status();
}

util::Status SentencePieceProcessor::NBestEncode(
    std::string_view input, int nbest_size, std::vector<std::vector<std::string>>* pieces) const {
  SPM_REQUIRE_LOADED();
  NBestOutput out;
  if (auto s = processor_->NBestEncode(input, nbest_size, &out); !s.ok()) return ToUtil(s);
  pieces->clear();
  for (const auto& r : out.results) pieces->push_back(ProjectAll<std::string>(r));
  return util::Status();
}

util::Status SentencePieceProcessor::NBestEncode(std::string_view input, int nbest_size,
                                                 std::vector<std::vector<int>>* ids) const {
  SPM_REQUIRE_LOADED();
  NBestOutput out;
  if (auto s = processor_->NBestEncode(input, nbest_size, &out); !s.ok()) return ToUtil(s);
  ids->clear();
  for (const auto& r : out.results) ids->push_back(ProjectAll<int>(r));
  return util::Status();
}

// ------------------------------------------------------------------ sampling

util::Status SentencePieceProcessor::SampleEncode(std::string_view input, int nbest_size,
                                                  float alpha, SentencePieceText* spt) const {
  SPM_REQUIRE_LOADED();
  EncodeOutput out;
  if (auto s = processor_->SampleEncode(input, nbest_size, alpha, &out); !s.ok()) {
    return ToUtil(s);
  }
  FillTokens(input, out.tokens, spt);
  return util::Status();
}

util::Status SentencePieceProcessor::SampleEncode(std::string_view input, int nbest_size,
                                                  float alpha,
                                                  std::vector<std::string>* pieces) const {
  SPM_REQUIRE_LOADED();
  EncodeOutput out;
  if (auto s = processor_->SampleEncode(input, nbest_size, alpha, &out); !s.ok()) {
    return ToUtil(s);
  }
  *pieces = ProjectAll<std::string>(out.tokens);
  return util::Status();
}

util::Status SentencePieceProcessor::SampleEncode(std::string_view input, int nbest_size,
                                                  float alpha, std::vector<int>* ids) const {
  SPM_REQUIRE_LOADED();
  EncodeOutput out;
  if (auto s = processor_->SampleEncode(input, nbest_size, alpha, &out); !s.ok()) {
    return ToUtil(s);
  }
  *ids = ProjectAll<int>(out.tokens);
  return util::Status();
}

util::Status SentencePieceProcessor::SampleEncodeAndScore(
    std::string_view input, int num_samples, float alpha, bool wor, bool include_best,
    NBestSentencePieceText* samples_spt) const {
  SPM_REQUIRE_LOADED();
  NBestOutput out;
  if (auto s = processor_->SampleEncodeAndScore(input, num_samples, alpha, wor, include_best,
                                                &out);
      !s.ok()) {
    return ToUtil(s);
  }
  FillNBest(input, out, samples_spt);
  return util::Status();
}

util::Status SentencePieceProcessor::SampleEncodeAndScore(
    std::string_view input, int num_samples, float alpha, bool wor, bool include_best,
    std::vector<std::pair<std::vector<std::string>, float>>* pieces) const {
  SPM_REQUIRE_LOADED();
  NBestOutput out;
  if (auto s = processor_->SampleEncodeAndScore(input, num_samples, alpha, wor, include_best,
                                                &out);
      !s.ok()) {
    return ToUtil(s);
  }
  pieces->clear();
  for (size_t i = 0; i < out.results.size(); ++i) {
    pieces->emplace_back(ProjectAll<std::string>(out.results[i]), out.scores[i]);
  }
  return util::Status();
}

util::Status SentencePieceProcessor::SampleEncodeAndScore(
    std::string_view input, int num_samples, float alpha, bool wor, bool include_best,
    std::vector<std::pair<std::vector<int>, float>>* ids) const {
  SPM_REQUIRE_LOADED();
  NBestOutput out;
  if (auto s = processor_->SampleEncodeAndScore(input, num_samples, alpha, wor, include_best,
                                                &out);
      !s.ok()) {
    return ToUtil(s);
  }
  ids->clear();
  for (size_t i = 0; i < out.results.size(); ++i) {
    ids->emplace_back(ProjectAll<int>(out.results[i]), out.scores[i]);
  }
  return util::Status();
}

util::Status SentencePieceProcessor::CalculateEntropy(std::string_view input, float alpha,
                                                      float* entropy) const {
  SPM_REQUIRE_LOADED();
  auto e = processor_->CalculateEntropy(input, alpha);
  if (!e.ok()) return ToUtil(e.status());
  *entropy = *e;
  return util::Status();
}

// ------------------------------------------------------------------ value forms

std::vector<std::vector<std::string>> SentencePieceProcessor::NBestEncodeAsPieces(
    std::string_view input, int nbest_size) const {
  std::vector<std::vector<std::string>> r;
  NBestEncode(input, nbest_size, &r).IgnoreError();
  return r;
}

std::vector<std::vector<int>> SentencePieceProcessor::NBestEncodeAsIds(std::string_view input,
                                                                       int nbest_size) const {
  std::vector<std::vector<int>> r;
  NBestEncode(input, nbest_size, &r).IgnoreError();
  return r;
}

std::vector<std::string> SentencePieceProcessor::SampleEncodeAsPieces(std::string_view input,
                                                                      int nbest_size,
                                                                      float alpha) const {
  std::vector<std::string> r;
  SampleEncode(input, nbest_size, alpha, &r).IgnoreError();
  return r;
}

std::vector<int> SentencePieceProcessor::SampleEncodeAsIds(std::string_view input, int nbest_size,
                                                           float alpha) const {
  std::vector<int> r;
  SampleEncode(input, nbest_size, alpha, &r).IgnoreError();
  return r;
}

std::vector<std::pair<std::vector<std::string>, float>>
SentencePieceProcessor::SampleEncodeAndScoreAsPieces(std::string_view input, int num_samples,
                                                     float alpha, bool wor,
                                                     bool include_best) const {
  std::vector<std::pair<std::vector<std::string>, float>> r;
  SampleEncodeAndScore(input, num_samples, alpha, wor, include_best, &r).IgnoreError();
  return r;
}

std::vector<std::pair<std::vector<int>, float>> SentencePieceProcessor::SampleEncodeAndScoreAsIds(
    std::string_view input, int num_samples, float alpha, bool wor, bool include_best) const {
  std::vector<std::pair<std::vector<int>, float>> r;
  SampleEncodeAndScore(input, num_samples, alpha, wor, include_best, &r).IgnoreError();
  return r;
}

float SentencePieceProcessor::CalculateEntropy(std::string_view input, float alpha) const {
  float entropy = 0.0f;
  CalculateEntropy(input, alpha, &entropy).IgnoreError();
  return entropy;
}

util::bytes SentencePieceProcessor::NBestEncodeAsSerializedProto(std::string_view input,
                                                                 int nbest_size) const {
  NBestSentencePieceText nbest;
  NBestEncode(input, nbest_size, &nbest).IgnoreError();
  return nbest.SerializeAsString();
}

util::bytes SentencePieceProcessor::SampleEncodeAsSerializedProto(std::string_view input,
                                                                  int nbest_size,
                                                                  float alpha) const {
  SentencePieceText spt;
  SampleEncode(input, nbest_size, alpha, &spt).IgnoreError();
  return spt.SerializeAsString();
}

util::bytes SentencePieceProcessor::SampleEncodeAndScoreAsSerializedProto(
    std::string_view input, int num_samples, float alpha, bool wor, bool include_best) const {
  NBestSentencePieceText nbest;
  SampleEncodeAndScore(input, num_samples, alpha, wor, include_best, &nbest).IgnoreError();
  return nbest.SerializeAsString();
}

// ------------------------------------------------------------------ vocabulary restriction

util::Status SentencePieceProcessor::SetVocabulary(
    const std::vector<std::string_view>& valid_vocab) {
  SPM_REQUIRE_LOADED();
  return ToUtil(processor_->SetVocabulary(valid_vocab));
}

util::Status SentencePieceProcessor::ResetVocabulary() {
  SPM_REQUIRE_LOADED();
  return ToUtil(processor_->ResetVocabulary());
}

util::Status SentencePieceProcessor::LoadVocabulary(std::string_view filename, int threshold) {
  SPM_REQUIRE_LOADED();
  return ToUtil(processor_->LoadVocabulary(std::string(filename), threshold));
}

#undef SPM_REQUIRE_LOADED

}  // namespace sentencepiece
