// The Unigram trainer's seed pieces: the characters, then the most
// frequent substrings, as SentencePiece 0.1.97 picks them.
//
// The reference builds a suffix array over the whole corpus and takes
// every substring that occurs at least twice and is "right-branching" (a
// node of the suffix tree: followed by at least two different characters,
// or by the end of a sentence and something else), scores it by
// count × length, and keeps the valid pieces (piece_validator.h) with the
// best scores after all the characters, until seed_sentencepiece_size
// seeds. That costs 20-36 bytes per corpus character and one core.
//
// We get the same set from the word types (unigram_words.h), without
// looking at the corpus again:
//   * a valid piece never spans a word boundary (with split_by_whitespace;
//     without it the words are whole sentences), so its corpus count is
//     the sum over word contexts of count × occurrences;
//   * a word context is the word plus the character after it in its
//     sentence, which decides whether a substring ending at the word's end
//     branches. Anything longer crosses into the next word and is invalid.
// Only substrings of at most max_sentencepiece_length characters can be
// pieces, so instead of a full suffix array we sort the suffixes of the
// word-context text by their first max_sentencepiece_length + 1
// characters (64-bit packed keys, refined only where they tie) and walk
// the LCP intervals of the sorted order, each interval a tree node with
// its weighted count. Suffixes are processed in groups by their first two
// characters (every node of depth >= 2 lies inside one group), which
// bounds memory and spreads the groups over the threads.
//
// Ties in count × length are broken by the string (byte order); the
// reference breaks them by its tree-walk order. The result does not depend
// on the number of threads.

#ifndef SPM_SRC_TRAINER_UNIGRAM_SEEDS_H_
#define SPM_SRC_TRAINER_UNIGRAM_SEEDS_H_

#include <string>
#include <utility>
#include <vector>

#include "sentencepiece_model.pb.h"
#include "trainer/corpus_preprocessor.h"
#include "trainer/piece_validator.h"
#include "trainer/unigram_words.h"

namespace sentencepiece {

// The seeds with their initial scores, log(x / sum of x) where x is a
// character's count or a substring's count × length: every character of
// `chars` that occurs (by count descending, then code point), then the
// substrings by score descending, then string, up to
// spec.seed_sentencepiece_size() seeds in all.
std::vector<std::pair<std::string, double>> MakeSeedPieces(const UnigramWords& words,
                                                           const CharacterSet& chars,
                                                           const PieceValidator& validator,
                                                           const TrainerSpec& spec, int threads);

}  // namespace sentencepiece

#endif  // SPM_SRC_TRAINER_UNIGRAM_SEEDS_H_
