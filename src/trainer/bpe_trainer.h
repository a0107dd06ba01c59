// BPE model training (Sennrich et al. 2016), fast.
//
// Learns vocab_size - #meta pieces - #characters merges, then appends the
// characters; piece i gets score -i (the first is -0.0, as in the
// reference). Each step merges the most frequent adjacent pair of symbols.
// The pair chosen is the reference's:
//   1. highest frequency (sum over words of word frequency times the
//      number of non-overlapping occurrences, counted left to right: "aaa"
//      holds one "a"+"a", "aaaa" two);
//   2. then fewer characters;
//   3. then the byte-wise smaller string;
//   4. then (same string from two paths, "aa"+"a" and "a"+"aa") the pair
//      whose left symbol was created first.
// A pair whose string is already a piece is never merged. Pairs whose
// string is not a valid piece (piece_validator.h) or that contain an
// unknown character are never formed.
//
// How (see docs/training.md for the measurements):
//   * the corpus is reduced to word types with counts (whole sentences when
//     split_by_whitespace=false), each a sequence of symbol ids;
//   * pair counts (64-bit) live in a hash table; a max-heap holds
//     (count, pair) entries that are checked when popped (lazy update):
//     counts of existing pairs only ever go down, so a popped entry whose
//     count is current is the true maximum;
//   * each pair keeps the list of words it occurs in, so a merge only
//     visits those words; they are rewritten, and their count changes
//     computed, on num_threads threads (bpe_merger.h).
// Unlike SentencePiece 0.1.97 it always finds the true best pair (0.1.97
// only looks at a "top 5%" set rebuilt every 100 merges), breaks exact
// ties the same way every run (0.1.97: hash and pointer order), keeps
// counting occurrences that an earlier overlap check had dropped, and has
// no 32768-symbols-per-sentence limit.

#ifndef SPM_SRC_TRAINER_BPE_TRAINER_H_
#define SPM_SRC_TRAINER_BPE_TRAINER_H_

#include "trainer/trainer_interface.h"

namespace sentencepiece {

class BpeTrainer : public TrainerInterface {
 public:
  using TrainerInterface::TrainerInterface;

 private:
  absl::Status Learn() override;
};

}  // namespace sentencepiece

#endif  // SPM_SRC_TRAINER_BPE_TRAINER_H_
