// The piece set of one Unigram training round and the lattice of a word
// under it.
//
// PieceSet holds the pieces with their scores (log probabilities, double),
// which are alive (the M-step drops pieces without killing the round's
// trie), and a byte trie over all of them (double_array.h). WordLattice
// lists, for one word, every piece occurrence (an edge from one character
// position to a later one) as SentencePiece 0.1.97's lattice would: every
// alive piece that matches, and where no one-character piece starts, an
// unknown edge of one character scored min_score - 10.

#ifndef SPM_SRC_TRAINER_UNIGRAM_PIECES_H_
#define SPM_SRC_TRAINER_UNIGRAM_PIECES_H_

#include <cstdint>
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

  // `pieces` must be unique, non-empty, valid UTF-8 and not contain NUL.
  static absl::StatusOr<PieceSet> Build(std::vector<std::pair<std::string, double>> pieces);

  size_t size() const { return pieces_.size(); }
  const std::string& piece(size_t i) const { return pieces_[i]; }
  double score(size_t i) const { return scores_[i]; }
  bool alive(size_t i) const { return alive_[i] != 0; }
  size_t num_alive() const { return num_alive_; }
  // Characters in piece i.
  int chars(size_t i) const { return chars_[i]; }
  int max_chars() const { return max_chars_; }

  // Drops piece i from the lattices (until the next Build).
  void Kill(size_t i);
  void SetScore(size_t i, double score) { scores_[i] = score; }
  // Recomputes the cached probabilities and the unknown score; call after
  // changing scores or killing pieces.
  void Refresh();

  double prob(size_t i) const { return probs_[i]; }
  // Edge values by piece id for the lattice algorithms: probabilities (0
  // for dead pieces) and scores (-infinity for dead pieces).
  const std::vector<double>& probs() const { return probs_; }
  const std::vector<double>& scores() const { return live_scores_; }
  // Bumped whenever a one-character piece dies: lattices built before then
  // lack the unknown edge that now replaces it.
  int single_char_deaths() const { return single_char_deaths_; }
  double unknown_score() const { return unknown_score_; }
  double unknown_prob() const { return unknown_prob_; }
  // The lowest alive score.
  double min_score() const { return min_score_; }

  const DoubleArray& trie() const { return trie_; }

  // The alive pieces with their scores, in order.
  std::vector<std::pair<std::string, double>> Alive() const;

 private:
  std::vector<std::string> pieces_;
  std::vector<double> scores_;
  std::vector<double> probs_;
  std::vector<double> live_scores_;
  int single_char_deaths_ = 0;
  std::vector<char> alive_;
  std::vector<int> chars_;
  size_t num_alive_ = 0;
  int max_chars_ = 1;
  double min_score_ = 0, unknown_score_ = 0, unknown_prob_ = 0;
  DoubleArray trie_;
};

class WordLattice {
 public:
  struct Edge {
    uint32_t end;   // Character position after the piece.
    int32_t piece;  // -1: unknown character.
  };
  // A lattice in memory: the edges starting at character position `pos`
  // are edges[first[pos] .. first[pos + 1]), for pos < size.
  struct View {
    uint32_t size;  // Characters.
    const uint32_t* first;
    const Edge* edges;
  };

  // The lattice of `word` under the alive pieces of `pieces`. `skip_piece`
  // (if >= 0) is left out when it spans the whole word.
  void Build(const PieceSet& pieces, std::string_view word, int skip_piece = -1);

  View view() const {
    return {static_cast<uint32_t>(first_.size()) - 1, first_.data(), edges_.data()};
  }
  const std::vector<uint32_t>& firsts() const { return first_; }
  const std::vector<Edge>& edges() const { return edges_; }

 private:
  std::vector<uint32_t> char_at_byte_;  // Char index at each boundary byte.
  std::vector<uint32_t> first_;
  std::vector<Edge> edges_;
};

// The best path of `lattice` with edge scores `scores` (by piece; unknown
// edges score `unknown`): its edges' pieces in order (-1 for unknown
// characters) into *path; returns its score.
double BestPath(const WordLattice::View& lattice, const std::vector<double>& scores,
                double unknown, std::vector<double>* best, std::vector<uint32_t>* back,
                std::vector<int32_t>* path);

}  // namespace sentencepiece

#endif  // SPM_SRC_TRAINER_UNIGRAM_PIECES_H_
