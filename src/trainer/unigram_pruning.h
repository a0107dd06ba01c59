// Unigram pruning: which pieces to keep when the vocabulary shrinks.
//
// As in SentencePiece 0.1.97, each piece's loss is how much the corpus
// likelihood drops if the piece is removed and each of its uses is
// replaced by the piece's best segmentation without it (its
// "alternatives"), estimated from the Viterbi counts:
//   F = freq / (sum of word counts)
//   loss = F * (log(freq / sum) - sum over alternatives a of
//               log((freq[a] + freq) / (sum + freq * (#alternatives - 1))))
// Pieces whose best segmentation is not themselves, or that are on no best
// path, go; one-character pieces (no alternative) stay; the others are
// kept by loss, highest first, until
// max(desired_size, int(shrinking_factor * #pieces)) remain.
//
// Differences from 0.1.97, both bugs there: the denominator uses the
// piece's own number of alternatives (0.1.97 uses the number of pieces in
// the vocabulary; upstream fixed this later), and unknown characters
// count for no piece (0.1.97 credits them to piece 0). An unknown
// character among the alternatives counts as a piece never used
// (freq[a] = 0). Counts are exact integers.

#ifndef SPM_SRC_TRAINER_UNIGRAM_PRUNING_H_
#define SPM_SRC_TRAINER_UNIGRAM_PRUNING_H_

#include <cstdint>
#include <vector>

#include "trainer/unigram_em.h"
#include "trainer/unigram_pieces.h"
#include "trainer/unigram_words.h"

namespace sentencepiece {

// `cache` must describe `pieces` and `words`.
// The ids of the pieces kept (alive pieces of `pieces` only), in 0.1.97's
// order: the one-character pieces in the set's order(), then the others
// by loss (equal losses in the set's order()).
std::vector<uint32_t> PrunePieces(const PieceSet& pieces,
                                                        const UnigramWords& words,
                                                        const LatticeCache& cache,
                                                        size_t desired_size,
                                                        float shrinking_factor, int threads);

}  // namespace sentencepiece

#endif  // SPM_SRC_TRAINER_UNIGRAM_PRUNING_H_
