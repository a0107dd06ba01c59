#include "trainer/trainer_interface.h"

#include <algorithm>
#include <cmath>
#include <random>

#include "absl/strings/str_cat.h"
#include "common/random.h"
#include "common/status_macros.h"
#include "normalizer/normalizer.h"
#include "trainer/normalization_rules.h"
#include "trainer/parallel.h"
#include "trainer/spec_fields.h"
#include "trainer/training_log.h"

namespace sentencepiece {

TrainerInterface::TrainerInterface(const TrainerSpec& trainer_spec,
                                   const NormalizerSpec& normalizer_spec,
                                   const NormalizerSpec& denormalizer_spec,
                                   MetaPieces meta_pieces) {
  result_.trainer_spec = trainer_spec;
  result_.normalizer_spec = normalizer_spec;
  result_.denormalizer_spec = denormalizer_spec;
  result_.meta_pieces = std::move(meta_pieces);
}

int TrainerInterface::num_threads() const { return EffectiveThreads(spec().num_threads()); }

int TrainerInterface::PieceBudget() const {
  return spec().vocab_size() - static_cast<int>(result_.meta_pieces.size());
}

absl::StatusOr<ModelProto> TrainerInterface::Train(LineSource* source) {
  if (!result_.normalizer_spec.escape_whitespaces()) {
    return absl::InvalidArgumentError(
        "escape_whitespaces must be true to train a model (normalizer_spec.escape_whitespaces).");
  }
  source_ = source;
  RETURN_IF_ERROR(Learn());
  source_ = nullptr;
  training_log::Info(absl::StrCat("Learned ", result_.pieces.size(), " pieces"));
  return BuildModel(result_);
}

absl::Status TrainerInterface::LoadCorpus() {
  ASSIGN_OR_RETURN(std::unique_ptr<Normalizer> normalizer,
                   Normalizer::Create(result_.normalizer_spec, spec().treat_whitespace_as_suffix()));
  ASSIGN_OR_RETURN(
      const SentenceNormalizer sentence_normalizer,
      SentenceNormalizer::Create(*normalizer, result_.meta_pieces, spec().num_threads()));
  ASSIGN_OR_RETURN(LoadedCorpus corpus, LoadSentences(spec(), source_, &sentence_normalizer));
  sentences_ = std::move(corpus.sentences);
  result_.self_test_samples = std::move(corpus.self_test_samples);
  if (!result_.self_test_samples.empty()) {
    training_log::Info(
        absl::StrCat("Loaded ", result_.self_test_samples.size(), " test sentences"));
  }
  if (sentences_.empty()) {
    return absl::InvalidArgumentError(
        "The corpus is empty: no sentence was read from the input (all lines empty, too long or "
        "skipped).");
  }

  RETURN_IF_ERROR(RemoveEmptySentences(&sentences_));
  if (spec().enable_differential_privacy()) AddDifferentialPrivacyNoise();
  ASSIGN_OR_RETURN(chars_, SelectCharacters(spec(), sentences_, spec().num_threads()));
  MarkUnknownCharacters(chars_, &sentences_, spec().num_threads());

  const TrainerSpec::ModelType type = spec().model_type();
  const size_t needed = chars_.chars.size() + result_.meta_pieces.size();
  if (type != TrainerSpec::WORD && type != TrainerSpec::CHAR &&
      needed > static_cast<size_t>(spec().vocab_size())) {
    return absl::InvalidArgumentError(absl::StrCat(
        "Vocabulary size is smaller than required_chars. ", spec().vocab_size(), " vs ", needed,
        ". Increase vocab_size or decrease character_coverage with --character_coverage option."));
  }
  training_log::Info(absl::StrCat("Done! preprocessed ", sentences_.size(), " sentences."));
  return absl::OkStatus();
}

void TrainerInterface::AddDifferentialPrivacyNoise() {
  const float noise = spec().differential_privacy_noise_level();
  const uint64_t threshold = spec().differential_privacy_clipping_threshold();
  if (spec().input_format() != "tsv") {
    training_log::Log(training_log::kError,
                      "Dp version will not work correctly with text input format.");
  }
  if (noise <= 0) {
    training_log::Warning(
        "Private version with <=0 noise level will give infinity epsilon guarantees.");
  }
  if (threshold <= 0) {
    training_log::Warning(
        "Private version with <=0 clipping threshold will give infinity epsilon guarantees.");
  }
  // The reference draws from an unseeded generator; ours follows --random_seed.
  std::mt19937 gen(random::GetSeed());
  std::normal_distribution<float> gaussian(0.0f, noise > 0 ? noise : 1.0f);
  const size_t before = sentences_.size();
  for (size_t i = 0; i < sentences_.size(); ++i) {
    int64_t freq = sentences_.freq(i);
    if (noise > 0) {
      freq = static_cast<int64_t>(
          std::round(std::max(0.0f, gaussian(gen) + static_cast<float>(freq))));
    }
    if (freq < 0 || static_cast<uint64_t>(freq) < threshold) freq = 0;
    sentences_.SetFreq(i, freq);
  }
  sentences_.RemoveNonPositive();
  training_log::Info(absl::StrCat("DP noise resulted in ",
                                  before == 0 ? 0.0 : 1.0 * (before - sentences_.size()) / before,
                                  " fraction of sentences removed."));
}

absl::Status TrainModel(const TrainerSpec& trainer_spec, const NormalizerSpec& normalizer_spec,
                        const NormalizerSpec& denormalizer_spec, LineSource* source,
                        ModelProto* output) {
  ASSIGN_OR_RETURN(const NormalizerSpec normalizer,
                   BuildNormalizerSpec(normalizer_spec, /*is_denormalizer=*/false));
  ASSIGN_OR_RETURN(const NormalizerSpec denormalizer,
                   BuildNormalizerSpec(denormalizer_spec, /*is_denormalizer=*/true));
  ASSIGN_OR_RETURN(std::unique_ptr<TrainerInterface> trainer,
                   CreateTrainer(trainer_spec, normalizer, denormalizer));
  training_log::Info(absl::StrCat(
      "Starts training with:\n", PrintSpec(trainer_spec, "trainer_spec"),
      PrintSpec(normalizer, "normalizer_spec"),
      denormalizer.precompiled_charsmap().empty() ? "denormalizer_spec {}"
                                                  : PrintSpec(denormalizer, "denormalizer_spec")));

  if ((source != nullptr) == (trainer_spec.input_size() > 0)) {
    return absl::InvalidArgumentError(
        "SentenceIterator and trainer_spec.input() must be exclusive.");
  }
  if ((output != nullptr) == !trainer_spec.model_prefix().empty()) {
    return absl::InvalidArgumentError(
        "ModelProto and trainer_spec.model_prefix() must be exclusive.");
  }
  std::unique_ptr<LineSource> files;
  if (source == nullptr) {
    files = NewFileLineSource({trainer_spec.input().begin(), trainer_spec.input().end()});
    source = files.get();
  }
  ASSIGN_OR_RETURN(ModelProto model, trainer->Train(source));
  if (output != nullptr) {
    *output = std::move(model);
    return absl::OkStatus();
  }
  return WriteModelFiles(trainer_spec.model_prefix(), model);
}

}  // namespace sentencepiece
