// The common part of every trainer: from the corpus to the final model.
//
//   Train(source)
//     -> Learn()                      (per model type, below)
//          LoadCorpus(): read (sentence_loader.h), normalize, select the
//                        character set and mark the other characters
//                        (corpus_preprocessor.h)
//          ... learn pieces into result_.pieces ...
//     -> BuildModel (model_writer.h)
//
// A model type implements Learn(); it may rewrite result_.trainer_spec
// (vocab_size with use_all_vocab). See char_trainer.h, word_trainer.h,
// bpe_trainer.h; the Unigram trainer builds on the same members.

#ifndef SPM_SRC_TRAINER_TRAINER_INTERFACE_H_
#define SPM_SRC_TRAINER_TRAINER_INTERFACE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "sentencepiece_model.pb.h"
#include "trainer/corpus_preprocessor.h"
#include "trainer/model_writer.h"
#include "trainer/sentence_loader.h"
#include "trainer/sentence_store.h"
#include "trainer/spec_validation.h"

namespace sentencepiece {

class TrainerInterface {
 public:
  // `normalizer_spec` and `denormalizer_spec` are complete (rule blobs
  // filled in); `meta_pieces` come from LayoutMetaPieces(trainer_spec).
  // Use CreateTrainer() rather than a subclass directly.
  TrainerInterface(const TrainerSpec& trainer_spec, const NormalizerSpec& normalizer_spec,
                   const NormalizerSpec& denormalizer_spec, MetaPieces meta_pieces);
  virtual ~TrainerInterface() = default;

  // Trains on the lines of `source` and returns the model. Errors: the
  // corpus's (unreadable input, bad TSV line, ...), the trainer's, and
  // BuildModel's ("Vocabulary size too high ...").
  absl::StatusOr<ModelProto> Train(LineSource* source);

 protected:
  // Fills result_.pieces (learned pieces in id order).
  virtual absl::Status Learn() = 0;

  // Reads, normalizes and prepares the corpus into sentences_ and chars_.
  // For UNIGRAM and BPE, fails when the kept characters and the meta pieces
  // do not fit: "Vocabulary size is smaller than required_chars. V vs N.
  // Increase vocab_size or decrease character_coverage with
  // --character_coverage option."
  absl::Status LoadCorpus();

  // enable_differential_privacy: adds Gaussian noise of
  // differential_privacy_noise_level to each sentence frequency (rounded,
  // at least 0), sets frequencies below differential_privacy_clipping_threshold
  // to 0 and drops the sentences left at 0, as the reference does.
  void AddDifferentialPrivacyNoise();

  const TrainerSpec& spec() const { return result_.trainer_spec; }
  int num_threads() const;
  // vocab_size minus the meta pieces: how many pieces Learn() may add.
  int PieceBudget() const;

  TrainingResult result_;
  SentenceStore sentences_;  // Normalized, unknown characters marked.
  CharacterSet chars_;

 private:
  LineSource* source_ = nullptr;
};

// The trainer for trainer_spec.model_type(), after VerifyTrainerSpec and
// LayoutMetaPieces (whose errors it returns). Unimplemented for a model
// type without a trainer here.
absl::StatusOr<std::unique_ptr<TrainerInterface>> CreateTrainer(
    const TrainerSpec& trainer_spec, const NormalizerSpec& normalizer_spec,
    const NormalizerSpec& denormalizer_spec);

// Everything SentencePieceTrainer::Train does below the option parsing:
// completes the normalizer specs (BuildNormalizerSpec), logs the specs,
// trains on `source` (nullptr: the files in trainer_spec.input()), and
// either writes <model_prefix>.model/.vocab or, with `output` non-null,
// returns the model there. Errors: "SentenceIterator and
// trainer_spec.input() must be exclusive.", "ModelProto and
// trainer_spec.model_prefix() must be exclusive." (InvalidArgument), and
// any of the steps'.
absl::Status TrainModel(const TrainerSpec& trainer_spec, const NormalizerSpec& normalizer_spec,
                        const NormalizerSpec& denormalizer_spec, LineSource* source,
                        ModelProto* output);

}  // namespace sentencepiece

#endif  // SPM_SRC_TRAINER_TRAINER_INTERFACE_H_
