// The EM steps of Unigram training over word types (unigram_words.h).
//
// E-step: for every word, the expected number of times each piece is used,
// summed over all segmentations weighted by their probability
// (forward-backward over the word's lattice), times the word's count.
// M-step: SentencePiece 0.1.97's Bayesian ("DP-ified") update, which acts
// as a sparse prior: pieces expected fewer than 0.5 times are dropped and
// score = digamma(expected) - digamma(sum of expected).
//
// Determinism: the words are split into chunks (LatticeCache; boundaries
// set by the data, not the threads), taken by the threads in any order.
// Within a chunk, expected counts are summed in doubles in word order;
// each chunk's sums are then rounded to multiples of 2^-40 and added
// as 128-bit integers (exact, so any order and any number of threads give
// the same bits). Viterbi counts are int64. The forward-backward runs in
// doubles in linear space, rescaled by powers of two only where values get
// tiny (long words), so no exp or log per edge.

#ifndef SPM_SRC_TRAINER_UNIGRAM_EM_H_
#define SPM_SRC_TRAINER_UNIGRAM_EM_H_

#include <cstdint>
#include <vector>

#include "trainer/unigram_pieces.h"
#include "trainer/unigram_words.h"

namespace sentencepiece {

// The lattices of all words under the current pieces, in chunks of
// consecutive words. A chunk numbers the lattice ids it uses locally
// (`globals`: local id -> piece id or unknown id), so its edges take 2
// bytes (15-bit local id, bit 15 marking a position's last edge; 4 bytes
// in the rare chunk of one huge word), and the E-step works on small
// per-chunk tables instead of touching the whole piece table at every
// edge. Chunks are cut where the next word would bring more than
// kMaxLocal ids, within fixed blocks of kBlock words: boundaries depend
// on the data only, never on the threads.
//
// Built once from the seeds' trie, as far as a memory budget allows (the
// other chunks are re-latticed from the trie each time they are used).
// When pieces die (M-step) or the set shrinks (pruning), the kept lattices
// are filtered and renumbered in place (Remap), which gives exactly the
// lattices a new build would, at the cost of one pass over the edges.
class LatticeCache {
 public:
  static constexpr size_t kBlock = 1024;
  static constexpr uint32_t kMaxLocal = 0x7FFE;  // Remap may add the unknown id.
  static constexpr uint32_t kDropped = ~uint32_t{0};

  struct Chunk {
    size_t first_word = 0;
    uint32_t num_words = 0;
    bool cached = false;
    bool wide = false;               // edges32 instead of edges16.
    std::vector<uint32_t> globals;   // Local id -> lattice id.
    std::vector<uint32_t> sizes;     // Characters of each word.
    std::vector<uint32_t> begin;     // Each word's first edge; then the end.
    std::vector<uint16_t> edges16;   // Local id | 0x8000 on a position's last edge.
    std::vector<uint32_t> edges32;   // Local id | 1 << 31 likewise.
  };

  // Lattices for all words; at most about budget_bytes of edges kept.
  void Build(const PieceSet& pieces, const UnigramWords& words, int threads, size_t budget_bytes);
  // Renumbers the cached lattices after pieces changed: remap[id] is the new
  // id of old lattice id `id` (old unknown id included, last), or kDropped;
  // old_lengths are the old PieceSet::lengths(), `unknown` the new unknown
  // id. A position that loses its one-character edge gets an unknown edge.
  void Remap(const std::vector<uint32_t>& remap, const std::vector<uint16_t>& old_lengths,
             uint32_t unknown, int threads);
  // Remap after pieces died in place (same PieceSet, same ids, an M-step):
  // the dead pieces' edges leave the lattices.
  void DropDead(const PieceSet& pieces, int threads);

  size_t num_chunks() const { return chunks_.size(); }
  // Chunk c: the cached one, or its lattices under `pieces` built into
  // *scratch.
  const Chunk& Get(size_t c, const PieceSet& pieces, const UnigramWords& words,
                   Chunk* scratch) const;
  // Word i's lattice in WordLattice's form (lattice ids), if cached; for
  // tests.
  bool GetWord(size_t word, std::vector<uint32_t>* edges) const;

  size_t bytes() const { return bytes_; }
  size_t edges() const { return edges_; }

 private:
  void Count();
  std::vector<Chunk> chunks_;
  size_t bytes_ = 0, edges_ = 0;
};

struct ExpectedCounts {
  std::vector<double> counts;  // Per piece (0 for dead pieces).
  double objective = 0;        // -sum(count * log Z) / sum(count), for logs.
};

// `cache` must describe `pieces` and `words`.
ExpectedCounts RunEStep(const PieceSet& pieces, const UnigramWords& words,
                        const LatticeCache& cache, int threads);

// Drops the pieces expected fewer than 0.5 times and rescores the others
// (the expected counts summed in the set's order()); returns how many were
// dropped.
size_t RunMStep(const std::vector<double>& expected, PieceSet* pieces);

// How often each piece is on the best path of the words (times their
// counts), and in *tokens the number of pieces on all best paths.
std::vector<int64_t> ViterbiCounts(const PieceSet& pieces, const UnigramWords& words,
                                   const LatticeCache& cache, int threads, int64_t* tokens);

// 0.1.97's digamma: the recurrence up to 7, then the asymptotic series.
double Digamma(double x);

}  // namespace sentencepiece

#endif  // SPM_SRC_TRAINER_UNIGRAM_EM_H_
