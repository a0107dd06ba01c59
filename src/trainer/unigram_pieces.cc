#include "trainer/unigram_pieces.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "common/double_array_builder.h"
#include "common/status_macros.h"
#include "common/utf8.h"

namespace sentencepiece {

absl::StatusOr<PieceSet> PieceSet::Build(std::vector<std::pair<std::string, double>> pieces) {
  PieceSet set;
  const size_t n = pieces.size();
  set.pieces_.reserve(n);
  set.scores_.reserve(n);
  set.chars_.reserve(n);
  for (auto& [p, s] : pieces) {
    int chars = 0;
    for (size_t i = 0; i < p.size(); i += std::min(utf8::OneCharLen(p[i]), p.size() - i)) ++chars;
    set.max_chars_ = std::max(set.max_chars_, chars);
    set.chars_.push_back(chars);
    set.pieces_.push_back(std::move(p));
    set.scores_.push_back(s);
  }
  set.alive_.assign(n, 1);
  set.num_alive_ = n;
  std::vector<std::pair<std::string_view, uint32_t>> keys;
  keys.reserve(n);
  for (size_t i = 0; i < n; ++i) keys.emplace_back(set.pieces_[i], static_cast<uint32_t>(i));
  std::sort(keys.begin(), keys.end());
  ASSIGN_OR_RETURN(set.trie_, BuildDoubleArray(keys));
  set.Refresh();
  return set;
}

void PieceSet::Kill(size_t i) {
  if (alive_[i]) {
    alive_[i] = 0;
    --num_alive_;
    if (chars_[i] == 1) ++single_char_deaths_;
  }
}

void PieceSet::Refresh() {
  probs_.assign(pieces_.size(), 0.0);
  live_scores_.assign(pieces_.size(), -std::numeric_limits<double>::infinity());
  min_score_ = std::numeric_limits<double>::max();
  for (size_t i = 0; i < pieces_.size(); ++i) {
    if (!alive_[i]) continue;
    probs_[i] = std::exp(scores_[i]);
    live_scores_[i] = scores_[i];
    min_score_ = std::min(min_score_, scores_[i]);
  }
  if (num_alive_ == 0) min_score_ = 0;
  unknown_score_ = min_score_ - kUnknownPenalty;
  unknown_prob_ = std::exp(unknown_score_);
}

std::vector<std::pair<std::string, double>> PieceSet::Alive() const {
  std::vector<std::pair<std::string, double>> out;
  out.reserve(num_alive_);
  for (size_t i = 0; i < pieces_.size(); ++i) {
    if (alive_[i]) out.emplace_back(pieces_[i], scores_[i]);
  }
  return out;
}

void WordLattice::Build(const PieceSet& pieces, std::string_view word, int skip_piece) {
  const size_t bytes = word.size();
  char_at_byte_.resize(bytes + 1);
  first_.clear();
  edges_.clear();
  uint32_t chars = 0;
  for (size_t b = 0; b < bytes;) {
    const size_t len = std::min(utf8::OneCharLen(word[b]), bytes - b);
    for (size_t k = 0; k < len; ++k) char_at_byte_[b + k] = chars;
    ++chars;
    b += len;
  }
  char_at_byte_[bytes] = chars;
  const DoubleArray& trie = pieces.trie();
  size_t b = 0;
  for (uint32_t pos = 0; pos < chars; ++pos) {
    first_.push_back(static_cast<uint32_t>(edges_.size()));
    bool single = false;
    uint32_t node = 0;
    const size_t start = b;
    for (size_t k = start; k < bytes; ++k) {
      const int v = trie.TraverseTrusted(&node, static_cast<unsigned char>(word[k]));
      if (v == DoubleArray::kNoPath) break;
      if (v < 0 || !pieces.alive(v)) continue;
      const uint32_t end = char_at_byte_[k + 1];
      if (v == skip_piece && pos == 0 && end == chars) continue;
      if (end == pos + 1) single = true;
      edges_.push_back({end, v});
    }
    if (!single) edges_.push_back({pos + 1, -1});
    b += std::min(utf8::OneCharLen(word[b]), bytes - b);
  }
  first_.push_back(static_cast<uint32_t>(edges_.size()));
}

double BestPath(const WordLattice::View& lattice, const std::vector<double>& scores,
                double unknown, std::vector<double>* best, std::vector<uint32_t>* back,
                std::vector<int32_t>* path) {
  const uint32_t n = lattice.size;
  const WordLattice::Edge* edges = lattice.edges;
  best->assign(n + 1, -std::numeric_limits<double>::infinity());
  back->assign(n + 1, 0);
  (*best)[0] = 0;
  for (uint32_t pos = 0; pos < n; ++pos) {
    const double here = (*best)[pos];
    for (uint32_t k = lattice.first[pos]; k < lattice.first[pos + 1]; ++k) {
      const double s = here + (edges[k].piece >= 0 ? scores[edges[k].piece] : unknown);
      if (s > (*best)[edges[k].end]) {
        (*best)[edges[k].end] = s;
        (*back)[edges[k].end] = k;
      }
    }
  }
  path->clear();
  for (uint32_t pos = n; pos > 0;) {
    const WordLattice::Edge& e = edges[(*back)[pos]];
    path->push_back(e.piece);
    // The edge's start: the position whose edge range holds it.
    uint32_t lo = 0, hi = pos;
    const uint32_t k = (*back)[pos];
    while (hi - lo > 1) {
      const uint32_t mid = (lo + hi) / 2;
      if (lattice.first[mid] <= k) lo = mid; else hi = mid;
    }
    pos = lo;
  }
  std::reverse(path->begin(), path->end());
  return (*best)[n];
}

}  // namespace sentencepiece
