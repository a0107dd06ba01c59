// CreateTrainer (trainer_interface.h): the trainer for each model type.

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "trainer/bpe_trainer.h"
#include "trainer/char_trainer.h"
#include "trainer/trainer_interface.h"
#include "trainer/unigram_trainer.h"
#include "trainer/word_trainer.h"

namespace sentencepiece {

absl::StatusOr<std::unique_ptr<TrainerInterface>> CreateTrainer(
    const TrainerSpec& trainer_spec, const NormalizerSpec& normalizer_spec,
    const NormalizerSpec& denormalizer_spec) {
  RETURN_IF_ERROR(VerifyTrainerSpec(trainer_spec));
  ASSIGN_OR_RETURN(MetaPieces meta, LayoutMetaPieces(trainer_spec));
  switch (trainer_spec.model_type()) {
    case TrainerSpec::UNIGRAM:
      return std::unique_ptr<TrainerInterface>(
          new UnigramTrainer(trainer_spec, normalizer_spec, denormalizer_spec, std::move(meta)));
    case TrainerSpec::BPE:
      return std::unique_ptr<TrainerInterface>(
          new BpeTrainer(trainer_spec, normalizer_spec, denormalizer_spec, std::move(meta)));
    case TrainerSpec::CHAR:
      return std::unique_ptr<TrainerInterface>(
          new CharTrainer(trainer_spec, normalizer_spec, denormalizer_spec, std::move(meta)));
    case TrainerSpec::WORD:
      return std::unique_ptr<TrainerInterface>(
          new WordTrainer(trainer_spec, normalizer_spec, denormalizer_spec, std::move(meta)));
    default:
      break;
  }
  return absl::UnimplementedError(absl::StrCat(
      "model_type ", TrainerSpec::ModelType_Name(trainer_spec.model_type()),
      " cannot be trained."));
}

}  // namespace sentencepiece
