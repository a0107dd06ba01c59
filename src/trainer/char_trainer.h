// CHAR model training: the vocabulary is the character set.
//
// Pieces are the kept characters (corpus_preprocessor.h's order: required
// characters, then by count) with score log(count) - log(sum of counts),
// computed in float as the reference does; at most vocab_size minus the
// meta pieces unless use_all_vocab. vocab_size is always rewritten to the
// real piece count.

#ifndef SPM_SRC_TRAINER_CHAR_TRAINER_H_
#define SPM_SRC_TRAINER_CHAR_TRAINER_H_

#include "trainer/trainer_interface.h"

namespace sentencepiece {

class CharTrainer : public TrainerInterface {
 public:
  using TrainerInterface::TrainerInterface;

 private:
  absl::Status Learn() override;
};

}  // namespace sentencepiece

#endif  // SPM_SRC_TRAINER_CHAR_TRAINER_H_
