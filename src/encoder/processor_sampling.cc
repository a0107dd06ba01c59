// Processor: n-best lists, sampling, scored samples and entropy.
//
// Model capabilities, as in the reference: the unigram model supports all
// of these; BPE supports SampleEncode only (BPE-dropout); char and word
// models none. The check lives here, in one place.

#include <cmath>
#include <random>

#include "absl/status/status.h"
#include "common/random.h"
#include "common/status_macros.h"
#include "encoder/bpe_model.h"
#include "encoder/processor.h"
#include "encoder/unigram_model.h"

namespace sentencepiece {
namespace {

// SampleEncodeAndScore draws at most this many samples (NBestEncode's cap).
constexpr int kMaxNumSamples = 1024;

absl::Status NotAvailable(const char* call) {
  return absl::UnimplementedError(
      std::string(call) + " is not available for the current model.");
}

}  // namespace

const UnigramModel* Processor::unigram() const {
  return dynamic_cast<const UnigramModel*>(model_.get());
}

const BpeModel* Processor::bpe() const { return dynamic_cast<const BpeModel*>(model_.get()); }

absl::Status Processor::NBestEncode(std::string_view input, int nbest_size,
                                    NBestOutput* out) const {
  const UnigramModel* model = unigram();
  if (model == nullptr) return NotAvailable("NBestEncode");
  normalizer_->Normalize(input, &out->normalized, &out->norm_to_orig);
  const UnigramModel::NBestResult nbests = model->NBestEncode(out->normalized, nbest_size);
  if (nbests.empty()) return absl::InternalError("NBestEncode returns empty result.");
  out->results.resize(nbests.size());
  out->scores.clear();
  for (size_t i = 0; i < nbests.size(); ++i) {
    RETURN_IF_ERROR(BuildTokens(input, out->normalized, out->norm_to_orig, nbests[i].first,
                                &out->results[i]));
    out->scores.push_back(nbests[i].second);
  }
  return absl::OkStatus();
}

absl::Status Processor::SampleEncode(std::string_view input, int nbest_size, float alpha,
                                     EncodeOutput* out) const {
  if (nbest_size > 512) {
    return absl::InvalidArgumentError("nbest_size must be nbest_size <= 512");
  }
  const UnigramModel* uni = unigram();
  const BpeModel* bpe_model = bpe();
  if (uni == nullptr && bpe_model == nullptr) return NotAvailable("SampleEncode");
  normalizer_->Normalize(input, &out->normalized, &out->norm_to_orig);

  if (uni == nullptr || nbest_size < 0) {
    // Sampling from the whole distribution (or BPE-dropout).
    if (uni != nullptr) {
      uni->SampleEncode(out->normalized, alpha, &out->segments);
    } else {
      bpe_model->SampleEncode(out->normalized, alpha, &out->segments);
    }
  } else if (nbest_size <= 1) {
    uni->Encode(out->normalized, &out->segments);
  } else {
    UnigramModel::NBestResult nbests = uni->NBestEncode(out->normalized, nbest_size);
    if (nbests.empty()) return absl::InternalError("NBestEncode returns empty result.");
    // Weights exp(alpha * score), as floats, as the reference computes them.
    std::vector<float> probs(nbests.size());
    for (size_t i = 0; i < nbests.size(); ++i) probs[i] = std::exp(alpha * nbests[i].second);
    std::discrete_distribution<int> dist(probs.begin(), probs.end());
    out->segments = std::move(nbests[dist(*random::GetGenerator())].first);
  }
  return BuildTokens(input, out->normalized, out->norm_to_orig, out->segments, &out->tokens);
}

absl::Status Processor::SampleEncodeAndScore(std::string_view input, int num_samples,
                                             float alpha, bool wor, bool include_best,
                                             NBestOutput* out) const {
  const UnigramModel* model = unigram();
  if (model == nullptr) return NotAvailable("SampleEncodeAndScore");
  // The reference's C++ API has no limit: with wor, a negative count asks
  // for SIZE_MAX paths (every segmentation, exponentially many) and INT_MAX
  // overflows `num_samples + 1`; without, INT_MAX means INT_MAX lattices.
  // Its Python API refuses num_samples <= 0 with this message.
  if (num_samples <= 0) return absl::InvalidArgumentError("num_examples must be positive");
  if (num_samples > kMaxNumSamples) {
    return absl::InvalidArgumentError("num_samples must be <= 1024");
  }
  normalizer_->Normalize(input, &out->normalized, &out->norm_to_orig);
  const UnigramModel::NBestResult samples =
      model->SampleEncodeAndScore(out->normalized, alpha, num_samples, wor, include_best);
  if (samples.empty()) return absl::InternalError("SampleEncodeAndScore returns empty result.");
  out->results.resize(samples.size());
  out->scores.clear();
  for (size_t i = 0; i < samples.size(); ++i) {
    RETURN_IF_ERROR(BuildTokens(input, out->normalized, out->norm_to_orig, samples[i].first,
                                &out->results[i]));
    out->scores.push_back(samples[i].second);
  }
  return absl::OkStatus();
}

absl::StatusOr<float> Processor::CalculateEntropy(std::string_view input, float alpha) const {
  const UnigramModel* model = unigram();
  if (model == nullptr) return NotAvailable("CalculateEntropy");
  std::string normalized;
  std::vector<size_t> norm_to_orig;
  normalizer_->Normalize(input, &normalized, &norm_to_orig);
  return model->CalculateEntropy(normalized, alpha);
}

}  // namespace sentencepiece
