// Unigram language-model training (Kudo 2018), SentencePiece's default
// model type.
//
//   corpus -> word types with counts                 unigram_words.h
//          -> seed pieces: characters, then frequent
//             substrings by count x length            unigram_seeds.h
//          -> repeat: num_sub_iterations x (E-step,
//             M-step); stop once at most
//             int(vocab_size * 1.1) pieces are left;
//             else prune by loss (shrinking_factor)   unigram_em.h, unigram_pruning.h
//          -> final vocabulary: every kept character,
//             then the best-scored pieces             (here)
//
// The semantics are SentencePiece 0.1.97's (seed scoring, digamma M-step,
// pruning loss, final selection); its bugs are not kept (see
// unigram_pruning.h and docs/training.md). Every phase runs on
// num_threads threads, and the model does not depend on num_threads.

#ifndef SPM_SRC_TRAINER_UNIGRAM_TRAINER_H_
#define SPM_SRC_TRAINER_UNIGRAM_TRAINER_H_

#include "trainer/trainer_interface.h"

namespace sentencepiece {

class UnigramTrainer : public TrainerInterface {
 public:
  using TrainerInterface::TrainerInterface;

 private:
  absl::Status Learn() override;
};

}  // namespace sentencepiece

#endif  // SPM_SRC_TRAINER_UNIGRAM_TRAINER_H_
