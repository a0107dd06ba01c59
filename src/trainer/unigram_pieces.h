// The piece set of one Unigram training round and the lattice of a word
// under it.
//
// PieceSet holds the pieces with their scores (log probabilities, double),
// which are alive (the M-step drops pieces without killing the round's
// trie), and a byte trie over all of them (double_array.h). WordLattice
// lists, for one word, every piece occurrence (an edge from one character
// position to a later one) as SentencePiece 0.1.97's lattice would: every
// alive piece that matches, and where no one-character piece starts, an
// unknown edge of one character scored min_score - 10. Lattices are
// compact (4 bytes an edge) because the trainer keeps them for all words.

#ifndef SPM_SRC_TRAINER_UNIGRAM_PIECES_H_
#define SPM_SRC_TRAINER_UNIGRAM_PIECES_H_

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "common/double_array.h"

namespace sentencepiece {

class PieceSet {
 public:
  // The unknown edge's score is the lowest alive score minus this.
  static constexpr double kUnknownPenalty = 10.0;

  // `pieces` must be unique, non-empty, valid UTF-8 and not contain NUL,
  // and there must be fewer than 2^31 - 1 of them.
  static absl::StatusOr<PieceSet> Build(std::vector<std::pair<std::string, double>> pieces);

  size_t size() const { return offsets_.size() - 1; }
  std::string_view piece(size_t i) const {
    return std::string_view(text_.data() + offsets_[i], offsets_[i + 1] - offsets_[i]);
  }
  double score(size_t i) const { return scores_[i]; }
  bool alive(size_t i) const { return alive_[i] != 0; }
  size_t num_alive() const { return num_alive_; }
  // Characters in piece i.
  int chars(size_t i) const { return lengths_[i]; }
  int max_chars() const { return max_chars_; }

  // Drops piece i from the lattices (until the next Build).
  void Kill(size_t i);
  // Dead one-character pieces: where one dies, the lattices need an
  // unknown edge (LatticeCache::DropDead).
  size_t DeadSingles() const;
  // Kills every piece not in `kept` (alive ids) and makes `kept` the
  // set's order(); call Refresh() after.
  void KeepOnly(const std::vector<uint32_t>& kept);
  // The pieces' order where ids alone would not tell: Build's order at
  // first, the latest KeepOnly()'s after it. Sums over pieces and ties
  // between them go by it, so that killing pieces in place gives what a
  // new Build of the same pieces in that order would.
  const std::vector<uint32_t>& order() const { return order_; }
  void SetScore(size_t i, double score) { scores_[i] = score; }
  // Recomputes the cached probabilities and the unknown score; call after
  // changing scores or killing pieces.
  void Refresh();

  // The id lattices use for an unknown character: size().
  uint32_t unknown_id() const { return static_cast<uint32_t>(size()); }
  // Tables by lattice id (piece ids, then unknown_id()), for the lattice
  // algorithms: probabilities (0 for dead pieces), scores (-infinity for
  // dead pieces) and lengths in characters.
  const std::vector<double>& probs() const { return probs_; }
  const std::vector<double>& scores() const { return live_scores_; }
  const std::vector<uint16_t>& lengths() const { return lengths_; }
  double unknown_score() const { return unknown_score_; }
  double unknown_prob() const { return unknown_prob_; }
  // The lowest alive score.
  double min_score() const { return min_score_; }

  const DoubleArray& trie() const { return trie_; }
  // All piece ids, the pieces in byte order (the trie's order): walking
  // pieces in this order keeps the trie paths they share in cache.
  const std::vector<uint32_t>& byte_order() const { return byte_order_; }

  // The alive pieces with their scores, in order.
  std::vector<std::pair<std::string, double>> Alive() const;

 private:
  std::string text_;                    // All pieces, one after another
  std::vector<uint64_t> offsets_{0};    // (piece i at [offsets_[i], offsets_[i + 1])).
  std::vector<double> scores_;
  std::vector<double> probs_;
  std::vector<double> live_scores_;
  std::vector<char> alive_;
  std::vector<uint16_t> lengths_;
  std::vector<uint32_t> byte_order_;
  std::vector<uint32_t> order_;
  size_t num_alive_ = 0;
  int max_chars_ = 1;
  double min_score_ = 0, unknown_score_ = 0, unknown_prob_ = 0;
  DoubleArray trie_;
};

// A word's lattice: every piece occurrence (an edge from one character
// position to a later one), as one uint32 per edge: the edges starting at
// position 0, then at 1, ..., each the piece id (or PieceSet::unknown_id())
// with kLast set on the last edge of its position. Within a position,
// edges go by increasing length, an unknown edge last. The end of an edge
// is its start plus the piece's length (PieceSet::lengths()), so a lattice
// costs 4 bytes an edge and nothing per position.
class WordLattice {
 public:
  static constexpr uint32_t kLast = uint32_t{1} << 31;
  static constexpr uint32_t kIdMask = kLast - 1;

  struct View {
    uint32_t size;          // Characters (positions); every one has an edge.
    const uint32_t* edges;  // All edges of the word, position by position.
  };

  // The lattice of `word` under the alive pieces of `pieces`. `skip_piece`
  // (if >= 0) is left out when it spans the whole word.
  void Build(const PieceSet& pieces, std::string_view word, int skip_piece = -1) {
    edges_.clear();
    size_ = Append(pieces, word, skip_piece, &edges_);
  }
  View view() const { return {size_, edges_.data()}; }

  // Appends the lattice of `word` to *edges; returns its size.
  static uint32_t Append(const PieceSet& pieces, std::string_view word, int skip_piece,
                         std::vector<uint32_t>* edges);

 private:
  uint32_t size_ = 0;
  std::vector<uint32_t> edges_;
};

// The best path over `edges` (n positions, a lattice in WordLattice's
// layout with ids of type Edge, the top bit marking a position's last
// edge) with edge scores scores[id] and lengths lengths[id]: its edges'
// ids in order into *path; returns its score. Ties go to the earlier edge.
template <typename Edge>
double BestPathOver(const Edge* edges, uint32_t n, const double* scores, const uint16_t* lengths,
                    std::vector<double>* best, std::vector<uint32_t>* back,
                    std::vector<uint32_t>* path) {
  constexpr Edge kLastBit = static_cast<Edge>(Edge{1} << (8 * sizeof(Edge) - 1));
  best->assign(n + 1, -std::numeric_limits<double>::infinity());
  back->resize(n + 1);
  double* b = best->data();
  uint32_t* bk = back->data();
  b[0] = 0;
  const Edge* e = edges;
  for (uint32_t pos = 0; pos < n; ++pos) {
    const double here = b[pos];
    Edge x;
    do {
      x = *e++;
      const uint32_t id = x & static_cast<Edge>(kLastBit - 1);
      const uint32_t end = pos + lengths[id];
      const double s = here + scores[id];
      if (s > b[end]) {
        b[end] = s;
        bk[end] = id;
      }
    } while (!(x & kLastBit));
  }
  path->clear();
  for (uint32_t pos = n; pos > 0; pos -= lengths[bk[pos]]) path->push_back(bk[pos]);
  std::reverse(path->begin(), path->end());
  return b[n];
}

// BestPathOver() for a WordLattice with PieceSet::scores() and lengths().
inline double BestPath(const WordLattice::View& lattice, const std::vector<double>& scores,
                       const std::vector<uint16_t>& lengths, std::vector<double>* best,
                       std::vector<uint32_t>* back, std::vector<uint32_t>* path) {
  return BestPathOver(lattice.edges, lattice.size, scores.data(), lengths.data(), best, back,
                      path);
}

}  // namespace sentencepiece

#endif  // SPM_SRC_TRAINER_UNIGRAM_PIECES_H_
