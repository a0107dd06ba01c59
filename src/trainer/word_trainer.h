// WORD model training: the vocabulary is the most frequent words.
//
// Words are split in prefix mode (as the WORD encoder splits them, whatever
// treat_whitespace_as_suffix says), counted with sentence frequencies, and
// sorted by count descending then word ascending; words containing an
// unknown character (U+2585) are left out. Score = log(count) - log(total
// count of all words, left-out ones included), in float. At most vocab_size
// minus the meta pieces unless use_all_vocab (then vocab_size becomes the
// real piece count).

#ifndef SPM_SRC_TRAINER_WORD_TRAINER_H_
#define SPM_SRC_TRAINER_WORD_TRAINER_H_

#include "trainer/trainer_interface.h"

namespace sentencepiece {

class WordTrainer : public TrainerInterface {
 public:
  using TrainerInterface::TrainerInterface;

 private:
  absl::Status Learn() override;
};

}  // namespace sentencepiece

#endif  // SPM_SRC_TRAINER_WORD_TRAINER_H_
