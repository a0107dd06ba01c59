// The EM steps of Unigram training over word types (unigram_words.h).
//
// E-step: for every word, the expected number of times each piece is used,
// summed over all segmentations weighted by their probability
// (forward-backward over the word's lattice), times the word's count.
// M-step: SentencePiece 0.1.97's Bayesian ("DP-ified") update, which acts
// as a sparse prior: pieces expected fewer than 0.5 times are dropped and
// score = digamma(expected) - digamma(sum of expected).
//
// Determinism: the words are split among the threads in chunks taken in
// any order, so every sum over words is made order-independent: marginals
// are rounded to multiples of 2^-40 and summed as 128-bit integers (exact,
// so any order and any number of threads give the same bits), and Viterbi
// counts are int64. The forward-backward itself runs in doubles, in linear
// space with per-position rescaling (no exp or log per edge).

#ifndef SPM_SRC_TRAINER_UNIGRAM_EM_H_
#define SPM_SRC_TRAINER_UNIGRAM_EM_H_

#include <cstdint>
#include <functional>
#include <vector>

#include "trainer/unigram_pieces.h"
#include "trainer/unigram_words.h"

namespace sentencepiece {

// The lattices of all words under one round's pieces, kept between the
// E-steps and the pruning Viterbi of the round (the piece set only loses
// pieces within a round, and dead pieces are given probability 0), as far
// as they fit a memory budget; the other words are re-lattticed each time.
class LatticeCache {
 public:
  static constexpr size_t kChunk = 1024;  // Words per chunk.

  void Build(const PieceSet& pieces, const UnigramWords& words, int threads, size_t budget_bytes);
  // Whether the cache still describes `pieces` (no one-character piece
  // died since it was built).
  bool ValidFor(const PieceSet& pieces) const {
    return single_char_deaths_ == pieces.single_char_deaths();
  }
  // The lattice of word i, if cached.
  bool Get(size_t word, WordLattice::View* view) const;
  size_t bytes() const { return bytes_; }

 private:
  struct Chunk {
    bool cached = false;
    std::vector<uint64_t> word_first;  // Offset of each word's first[] in `first`.
    std::vector<uint32_t> first;
    std::vector<WordLattice::Edge> edges;
  };
  std::vector<Chunk> chunks_;
  int single_char_deaths_ = -1;
  size_t bytes_ = 0;
};

struct ExpectedCounts {
  std::vector<double> counts;  // Per piece (0 for dead pieces).
  double objective = 0;        // -sum(count * log Z) / sum(count), for logs.
};

// `cache` (may be null) must be ValidFor(pieces).
ExpectedCounts RunEStep(const PieceSet& pieces, const UnigramWords& words,
                        const LatticeCache* cache, int threads);

// Drops the pieces expected fewer than 0.5 times and rescores the others.
void RunMStep(const std::vector<double>& expected, PieceSet* pieces);

// How often each piece is on the best path of the words (times their
// counts), and in *tokens the number of pieces on all best paths.
std::vector<int64_t> ViterbiCounts(const PieceSet& pieces, const UnigramWords& words,
                                   const LatticeCache* cache, int threads, int64_t* tokens);

// 0.1.97's digamma: the recurrence up to 7, then the asymptotic series.
double Digamma(double x);

// Runs fn(begin, end, worker) over chunks of [0, n) on `threads` threads,
// chunks handed out in order as workers free up (worker < threads).
void ForEachChunk(int threads, size_t n, size_t chunk,
                  const std::function<void(size_t begin, size_t end, int worker)>& fn);

}  // namespace sentencepiece

#endif  // SPM_SRC_TRAINER_UNIGRAM_EM_H_
