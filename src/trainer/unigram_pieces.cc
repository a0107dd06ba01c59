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
  if (n >= WordLattice::kIdMask) return absl::InvalidArgumentError("Too many pieces.");
  size_t bytes = 0;
  for (const auto& piece : pieces) bytes += piece.first.size();
  set.text_.reserve(bytes);
  set.offsets_.reserve(n + 1);
  set.scores_.reserve(n);
  set.lengths_.reserve(n + 1);
  for (auto& [p, s] : pieces) {
    int chars = 0;
    for (size_t i = 0; i < p.size(); i += std::min(utf8::OneCharLen(p[i]), p.size() - i)) ++chars;
    if (chars > 0xFFFF) return absl::InvalidArgumentError("Piece too long.");
    set.max_chars_ = std::max(set.max_chars_, chars);
    set.lengths_.push_back(static_cast<uint16_t>(chars));
    set.text_.append(p);
    set.offsets_.push_back(set.text_.size());
    std::string().swap(p);
    set.scores_.push_back(s);
  }
  set.lengths_.push_back(1);  // The unknown edge.
  set.alive_.assign(n, 1);
  set.num_alive_ = n;
  set.order_.resize(n);
  for (size_t i = 0; i < n; ++i) set.order_[i] = static_cast<uint32_t>(i);
  std::vector<std::pair<std::string_view, uint32_t>> keys;
  keys.reserve(n);
  bool has_nul = false;
  for (size_t i = 0; i < n; ++i) {
    keys.emplace_back(set.piece(i), static_cast<uint32_t>(i));
    has_nul = has_nul || keys.back().first.find('\0') != std::string_view::npos;
  }
  // The radix sort (the same bytewise order) needs keys without NUL, which
  // trained pieces never have (NUL is never a kept character).
  if (has_nul) {
    std::sort(keys.begin(), keys.end());
  } else {
    SortKeys(&keys);
  }
  ASSIGN_OR_RETURN(set.trie_, BuildDoubleArray(keys));
  set.byte_order_.reserve(n);
  for (const auto& key : keys) set.byte_order_.push_back(key.second);
  set.Refresh();
  return set;
}

void PieceSet::Kill(size_t i) {
  if (alive_[i]) {
    alive_[i] = 0;
    --num_alive_;
  }
}

size_t PieceSet::DeadSingles() const {
  size_t n = 0;
  for (size_t i = 0; i < size(); ++i) n += !alive_[i] && lengths_[i] == 1;
  return n;
}

void PieceSet::KeepOnly(const std::vector<uint32_t>& kept) {
  std::vector<char> keep(size(), 0);
  for (uint32_t id : kept) keep[id] = 1;
  for (size_t i = 0; i < size(); ++i) {
    if (!keep[i]) Kill(i);
  }
  order_ = kept;
}

void PieceSet::Refresh() {
  const size_t n = size();
  probs_.assign(n + 1, 0.0);
  live_scores_.assign(n + 1, -std::numeric_limits<double>::infinity());
  min_score_ = std::numeric_limits<double>::max();
  for (size_t i = 0; i < n; ++i) {
    if (!alive_[i]) continue;
    probs_[i] = std::exp(scores_[i]);
    live_scores_[i] = scores_[i];
    min_score_ = std::min(min_score_, scores_[i]);
  }
  if (num_alive_ == 0) min_score_ = 0;
  unknown_score_ = min_score_ - kUnknownPenalty;
  unknown_prob_ = std::exp(unknown_score_);
  probs_[n] = unknown_prob_;
  live_scores_[n] = unknown_score_;
}

std::vector<std::pair<std::string, double>> PieceSet::Alive() const {
  std::vector<std::pair<std::string, double>> out;
  out.reserve(num_alive_);
  for (size_t i = 0; i < size(); ++i) {
    if (alive_[i]) out.emplace_back(std::string(piece(i)), scores_[i]);
  }
  return out;
}

uint32_t WordLattice::Append(const PieceSet& pieces, std::string_view word, int skip_piece,
                             std::vector<uint32_t>* edges) {
  const size_t bytes = word.size();
  const DoubleArray& trie = pieces.trie();
  const uint32_t unknown = pieces.unknown_id();
  // Each lookup in the piece tables is a likely cache miss on a large set
  // (the trie walk itself misses already), so the seeds' lattices, where
  // every piece is alive, skip the alive check, and whether a piece is one
  // character comes from the bytes it matched: as PieceSet::Build counts
  // characters, a piece is one character iff its first character's
  // encoded length covers all its bytes.
  const bool all_alive = pieces.num_alive() == pieces.size();
  uint32_t pos = 0;
  for (size_t b = 0; b < bytes; ++pos) {
    bool single = false;
    const size_t first_char = utf8::OneCharLen(word[b]);
    uint32_t node = 0;
    for (size_t k = b; k < bytes; ++k) {
      const int v = trie.TraverseTrusted(&node, static_cast<unsigned char>(word[k]));
      if (v == DoubleArray::kNoPath) break;
      if (v < 0 || (!all_alive && !pieces.alive(v))) continue;
      if (v == skip_piece && pos == 0 && k + 1 == bytes) continue;
      single |= k + 1 - b <= first_char;
      edges->push_back(static_cast<uint32_t>(v));
    }
    if (!single) edges->push_back(unknown);
    edges->back() |= kLast;
    b += std::min(first_char, bytes - b);
  }
  return pos;
}

}  // namespace sentencepiece
