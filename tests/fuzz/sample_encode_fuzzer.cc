// Fuzzes subword regularization: NBestEncode, SampleEncode (unigram
// sampling, n-best sampling, BPE-dropout), SampleEncodeAndScore and
// CalculateEntropy, with edge-case parameters (negative and huge sizes,
// NaN and infinite alpha).
//
// Input: [model][nbest_size][alpha][num_samples][flags][text...]; the text
// is cut to 2 KB (512 bytes for n-best sizes above 64), so one input costs
// at most a few tens of milliseconds.
// Checks: every result the library returns is a segmentation of the
// normalized input; calls a model type does not support fail with
// Unimplemented; sizes above the limits fail with InvalidArgument;
// n-best lists are no longer than asked and in score order; the facade
// forms return as many results as the engine.

#include <climits>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "encoder/bpe_model.h"
#include "encoder/unigram_model.h"
#include "fuzz_util.h"

namespace sentencepiece {
namespace fuzz {
namespace {

const std::vector<int> kSizes = {-1,  0,   1,    2,      3,       5,       10,  64,
                                 512, 513, 1024, 100000, INT_MIN, INT_MAX, -100};
const std::vector<float> kAlphas = {0.0f,
                                    0.1f,
                                    0.5f,
                                    1.0f,
                                    2.0f,
                                    10.0f,
                                    -0.5f,
                                    -10.0f,
                                    1e-30f,
                                    1e30f,
                                    std::numeric_limits<float>::infinity(),
                                    -std::numeric_limits<float>::infinity(),
                                    std::numeric_limits<float>::quiet_NaN()};
const std::vector<int> kSamples = {-5, -1, 0, 1, 2, 3, 8, 32, 1025, INT_MAX, INT_MIN};

int FuzzSampleEncode(FuzzInput& in) {
  const uint8_t selector = in.Byte();
  const int nbest_size = in.Pick(kSizes);
  const float alpha = in.Pick(kAlphas);
  const int num_samples = in.Pick(kSamples);
  const uint8_t flags = in.Byte();
  const bool wor = flags & 1;
  const bool include_best = flags & 2;
  const std::string_view text = in.Take(nbest_size > 64 ? 512 : 2048);
  SentencePieceProcessor* sp = SelectModel(selector, text);
  if (sp == nullptr) return 0;
  FUZZ_CHECK(sp->SetEncodeExtraOptions("").ok(), "clearing the options failed");
  const Processor& p = *sp->processor();
  const bool unigram = dynamic_cast<const UnigramModel*>(&p.model()) != nullptr;
  const bool bpe = dynamic_cast<const BpeModel*>(&p.model()) != nullptr;
  const std::string params = "nbest_size=" + std::to_string(nbest_size) +
                             " alpha=" + std::to_string(alpha) +
                             " num_samples=" + std::to_string(num_samples);

  // NBestEncode.
  if (flags & 4) {
    NBestOutput nb;
    const absl::Status s = p.NBestEncode(text, nbest_size, &nb);
    if (!unigram) {
      FUZZ_CHECK(s.code() == absl::StatusCode::kUnimplemented, "NBestEncode: " + s.ToString());
    } else {
      FUZZ_CHECK(s.ok(), "NBestEncode failed: " + s.ToString() + " " + params);
      const size_t limit = std::max(1, std::min(nbest_size, 1024));
      FUZZ_CHECK(!nb.results.empty() && nb.results.size() <= limit, "n-best list size " + params);
      for (size_t i = 0; i < nb.results.size(); ++i) {
        CheckSegmentation(p, nb.normalized, text.size(), nb.results[i]);
        // In score order, up to float rounding: the reference's scores go
        // up by ~1e-7 relative where paths sum the same pieces in another
        // order, and ours match it.
        if (i > 0) {
          const float prev = nb.scores[i - 1];
          FUZZ_CHECK(!(nb.scores[i] > prev + 1e-5f * (1.0f + std::fabs(prev))),
                     "n-best not in score order");
        }
      }
      NBestSentencePieceText nbest_spt;
      FUZZ_CHECK(sp->NBestEncode(text, nbest_size, &nbest_spt).ok(), "facade NBestEncode");
      FUZZ_CHECK(nbest_spt.nbests_size() == static_cast<int>(nb.results.size()),
                 "facade n-best size differs");
      for (const auto& spt : nbest_spt.nbests()) CheckEncodedText(*sp, text, spt);
    }
  }

  // SampleEncode.
  if (flags & 8) {
    EncodeOutput out;
    const absl::Status s = p.SampleEncode(text, nbest_size, alpha, &out);
    if (nbest_size > 512) {
      FUZZ_CHECK(s.code() == absl::StatusCode::kInvalidArgument, "SampleEncode: " + s.ToString());
    } else if (!unigram && !bpe) {
      FUZZ_CHECK(s.code() == absl::StatusCode::kUnimplemented, "SampleEncode: " + s.ToString());
    } else {
      FUZZ_CHECK(s.ok(), "SampleEncode failed: " + s.ToString() + " " + params);
      CheckSegmentation(p, out.normalized, text.size(), out.tokens);
      SentencePieceText spt;
      FUZZ_CHECK(sp->SampleEncode(text, nbest_size, alpha, &spt).ok(), "facade SampleEncode");
      CheckEncodedText(*sp, text, spt);
    }
  }

  // SampleEncodeAndScore.
  if (flags & 16) {
    NBestOutput out;
    const absl::Status s =
        p.SampleEncodeAndScore(text, num_samples, alpha, wor, include_best, &out);
    if (!unigram) {
      FUZZ_CHECK(s.code() == absl::StatusCode::kUnimplemented,
                 "SampleEncodeAndScore: " + s.ToString());
    } else if (num_samples <= 0 || num_samples > 1024) {
      FUZZ_CHECK(s.code() == absl::StatusCode::kInvalidArgument,
                 "SampleEncodeAndScore: " + s.ToString() + " " + params);
    } else if (s.ok()) {
      // Empty text, no samples, or include_best without wor are errors.
      FUZZ_CHECK(!out.results.empty(), "SampleEncodeAndScore: OK with no result");
      FUZZ_CHECK(out.results.size() <= static_cast<size_t>(std::max(num_samples, 1)),
                 "more samples than asked " + params);
      for (const auto& r : out.results) CheckSegmentation(p, out.normalized, text.size(), r);
      NBestSentencePieceText samples_spt;
      FUZZ_CHECK(
          sp->SampleEncodeAndScore(text, num_samples, alpha, wor, include_best, &samples_spt).ok(),
          "facade SampleEncodeAndScore");
      for (const auto& spt : samples_spt.nbests()) CheckEncodedText(*sp, text, spt);
    }
  }

  // CalculateEntropy.
  if (flags & 32) {
    float entropy = 0.0f;
    const util::Status s = sp->CalculateEntropy(text, alpha, &entropy);
    FUZZ_CHECK(unigram == s.ok(), "CalculateEntropy: " + s.ToString());
  }
  return 0;
}

}  // namespace
}  // namespace fuzz
}  // namespace sentencepiece

SPM_FUZZ_TARGET(FuzzSampleEncode)
