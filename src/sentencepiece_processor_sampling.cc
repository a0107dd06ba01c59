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

namespace {

// The three engine calls below, each returning its result to `fill` once it
// succeeded; every public overload is one of these with its own output form.
template <typename Fill>
util::Status RunNBest(const Processor* p, std::string_view input, int nbest_size, Fill fill) {
  if (p == nullptr) return NotLoaded();
  NBestOutput out;
  if (absl::Status s = p->NBestEncode(input, nbest_size, &out); !s.ok()) return ToUtil(s);
  fill(out);
  return util::Status();
}

template <typename Fill>
util::Status RunSample(const Processor* p, std::string_view input, int nbest_size, float alpha,
                       Fill fill) {
  if (p == nullptr) return NotLoaded();
  EncodeOutput out;
  if (absl::Status s = p->SampleEncode(input, nbest_size, alpha, &out); !s.ok()) {
    return ToUtil(s);
  }
  fill(out);
  return util::Status();
}

template <typename Fill>
util::Status RunSampleAndScore(const Processor* p, std::string_view input, int num_samples,
                               float alpha, bool wor, bool include_best, Fill fill) {
  if (p == nullptr) return NotLoaded();
  NBestOutput out;
  if (absl::Status s =
          p->SampleEncodeAndScore(input, num_samples, alpha, wor, include_best, &out);
      !s.ok()) {
    return ToUtil(s);
  }
  fill(out);
  return util::Status();
}

// Each result of `out` projected to T, with its score.
template <typename T>
void ProjectScored(const NBestOutput& out, std::vector<std::pair<std::vector<T>, float>>* v) {
  v->clear();
  for (size_t i = 0; i < out.results.size(); ++i) {
    v->emplace_back(ProjectAll<T>(out.results[i]), out.scores[i]);
  }
}

template <typename T>
void ProjectEach(const NBestOutput& out, std::vector<std::vector<T>>* v) {
  v->clear();
  for (const auto& r : out.results) v->push_back(ProjectAll<T>(r));
}

}  // namespace

util::Status SentencePieceProcessor::NBestEncode(std::string_view input, int nbest_size,
                                                 NBestSentencePieceText* nbest_spt) const {
  return RunNBest(processor_.get(), input, nbest_size,
                  [&](const NBestOutput& out) { FillNBest(input, out, nbest_spt); });
}

util::Status SentencePieceProcessor::NBestEncode(
    std::string_view input, int nbest_size, std::vector<std::vector<std::string>>* pieces) const {
  return RunNBest(processor_.get(), input, nbest_size,
                  [&](const NBestOutput& out) { ProjectEach(out, pieces); });
}

util::Status SentencePieceProcessor::NBestEncode(std::string_view input, int nbest_size,
                                                 std::vector<std::vector<int>>* ids) const {
  return RunNBest(processor_.get(), input, nbest_size,
                  [&](const NBestOutput& out) { ProjectEach(out, ids); });
}

// ------------------------------------------------------------------ sampling

util::Status SentencePieceProcessor::SampleEncode(std::string_view input, int nbest_size,
                                                  float alpha, SentencePieceText* spt) const {
  return RunSample(processor_.get(), input, nbest_size, alpha,
                   [&](const EncodeOutput& out) { FillTokens(input, out.tokens, spt); });
}

util::Status SentencePieceProcessor::SampleEncode(std::string_view input, int nbest_size,
                                                  float alpha,
                                                  std::vector<std::string>* pieces) const {
  return RunSample(processor_.get(), input, nbest_size, alpha, [&](const EncodeOutput& out) {
    *pieces = ProjectAll<std::string>(out.tokens);
  });
}

util::Status SentencePieceProcessor::SampleEncode(std::string_view input, int nbest_size,
                                                  float alpha, std::vector<int>* ids) const {
  return RunSample(processor_.get(), input, nbest_size, alpha,
                   [&](const EncodeOutput& out) { *ids = ProjectAll<int>(out.tokens); });
}

util::Status SentencePieceProcessor::SampleEncodeAndScore(
    std::string_view input, int num_samples, float alpha, bool wor, bool include_best,
    NBestSentencePieceText* samples_spt) const {
  return RunSampleAndScore(processor_.get(), input, num_samples, alpha, wor, include_best,
                           [&](const NBestOutput& out) { FillNBest(input, out, samples_spt); });
}

util::Status SentencePieceProcessor::SampleEncodeAndScore(
    std::string_view input, int num_samples, float alpha, bool wor, bool include_best,
    std::vector<std::pair<std::vector<std::string>, float>>* pieces) const {
  return RunSampleAndScore(processor_.get(), input, num_samples, alpha, wor, include_best,
                           [&](const NBestOutput& out) { ProjectScored(out, pieces); });
}

util::Status SentencePieceProcessor::SampleEncodeAndScore(
    std::string_view input, int num_samples, float alpha, bool wor, bool include_best,
    std::vector<std::pair<std::vector<int>, float>>* ids) const {
  return RunSampleAndScore(processor_.get(), input, num_samples, alpha, wor, include_best,
                           [&](const NBestOutput& out) { ProjectScored(out, ids); });
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
