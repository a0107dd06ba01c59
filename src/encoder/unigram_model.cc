#include "encoder/unigram_model.h"

#include <algorithm>
#include <cfloat>
#include <cmath>

#include "absl/status/status.h"
#include "common/double_array_builder.h"
#include "common/status_macros.h"
#include "common/utf8.h"

namespace sentencepiece {
namespace {

// Penalty of an unknown character relative to the worst piece.
constexpr float kUnkPenalty = 10.0f;
// Self-test tolerance on total scores.
constexpr float kEpsilon = 1e-7f;

}  // namespace

absl::StatusOr<std::unique_ptr<Model>> UnigramModel::Create(const ModelProto& proto) {
  ASSIGN_OR_RETURN(Vocabulary vocab, Vocabulary::Create(proto));
  std::unique_ptr<UnigramModel> m(new UnigramModel(proto, std::move(vocab)));
  const Vocabulary& v = m->vocab_;

  // The reference starts the maximum at FLT_MIN, the smallest positive
  // float, not at -inf: with all-negative scores, user-defined symbols score
  // about -0.1 whatever their length.
  m->min_score_ = FLT_MAX;
  m->max_score_ = FLT_MIN;
  std::vector<std::pair<std::string_view, uint32_t>> keys;
  for (int id = 0; id < v.size(); ++id) {
    const PieceType type = v.GetType(id);
    if (type == ModelProto::SentencePiece::NORMAL) {
      m->min_score_ = std::min(m->min_score_, v.GetScore(id));
      m->max_score_ = std::max(m->max_score_, v.GetScore(id));
    }
    if (v.FindNormalPiece(v.IdToPiece(id)) == id &&
        v.IdToPiece(id).find('\0') == std::string_view::npos) {
      keys.emplace_back(v.IdToPiece(id), id);
    }
  }
  if (keys.empty()) return absl::InternalError("no pieces are loaded.");
  std::sort(keys.begin(), keys.end());
  ASSIGN_OR_RETURN(m->trie_, BuildDoubleArray(keys));
  return std::unique_ptr<Model>(std::move(m));
}

void UnigramModel::Encode(std::string_view normalized, EncodeResult* out) const {
  out->clear();
  if (normalized.empty()) return;

  // best[e]: the best path covering normalized[0, e).
  struct Best {
    float score = 0;
    int start = -1;  // -1: no path yet.
    int id = -1;
  };
  const size_t size = normalized.size();
  std::vector<Best> best(size + 1);
  const float unk_score = min_score_ - kUnkPenalty;
  const int unk_id = vocab_.unk_id();

  for (size_t start = 0; start < size;) {
    const float base = best[start].score;
    const size_t char_len = std::min(size - start, utf8::OneCharLen(normalized[start]));
    bool has_single_char_piece = false;
    uint32_t node = 0;
    for (size_t pos = start; pos < size;) {
      const int id = trie_.Traverse(&node, static_cast<unsigned char>(normalized[pos]));
      if (id == DoubleArray::kNoPath) break;
      ++pos;
      if (id < 0) continue;
      const PieceType type = vocab_.GetType(id);
      if (type == ModelProto::SentencePiece::UNUSED) continue;
      const size_t length = pos - start;
      // Mirror the reference's arithmetic: the user-defined score is
      // computed in double, the candidate compared in double against the
      // stored float, and stored as float.
      const double score = type == ModelProto::SentencePiece::USER_DEFINED
                               ? static_cast<double>(length * max_score_) - 0.1
                               : static_cast<double>(vocab_.GetScore(id));
      const double candidate = score + base;
      Best& b = best[pos];
      if (b.start < 0 || candidate > b.score) {
        b.score = static_cast<float>(candidate);
        b.start = static_cast<int>(start);
        b.id = id;
      }
      if (length == char_len) has_single_char_piece = true;
    }
    if (!has_single_char_piece) {
      const float candidate = unk_score + base;
      Best& b = best[start + char_len];
      if (b.start < 0 || candidate > b.score) {
        b.score = candidate;
        b.start = static_cast<int>(start);
        b.id = unk_id;
      }
    }
    start += char_len;
  }

  for (size_t end = size; end > 0;) {
    const Best& b = best[end];
    out->push_back({normalized.substr(b.start, end - b.start), b.id});
    end = b.start;
  }
  std::reverse(out->begin(), out->end());
}

void UnigramModel::PopulateNodes(Lattice* lattice) const {
  const float unk_score = min_score_ - kUnkPenalty;
  const int len = lattice->size();
  const std::string_view text = lattice->sentence();
  for (int begin_pos = 0; begin_pos < len; ++begin_pos) {
    const size_t begin = lattice->char_start(begin_pos);
    bool has_single_char_node = false;
    trie_.CommonPrefixSearch(text.substr(begin), [&](size_t byte_len, int id) {
      if (vocab_.IsUnused(id)) return true;
      // Length in characters; a piece ending inside a character extends to
      // its end, as in the reference.
      int length = 0;
      while (lattice->char_start(begin_pos + length) < begin + byte_len) ++length;
      const int n = lattice->Insert(begin_pos, length);
      Lattice::Node& node = lattice->node(n);
      node.id = id;
      node.score = vocab_.IsUserDefined(id) ? length * max_score_ - 0.1 : vocab_.GetScore(id);
      if (length == 1) has_single_char_node = true;
      return true;
    });
    if (!has_single_char_node) {
      const int n = lattice->Insert(begin_pos, 1);
      lattice->node(n).id = vocab_.unk_id();
      lattice->node(n).score = unk_score;
    }
  }
}

namespace {

void PathToResult(const Lattice& lattice, const std::vector<int>& path, EncodeResult* out) {
  out->clear();
  for (int n : path) out->push_back({lattice.node(n).piece, lattice.node(n).id});
}

}  // namespace

UnigramModel::NBestResult UnigramModel::NBestEncode(std::string_view normalized,
                                                    int nbest_size) const {
  if (normalized.empty()) return {{{}, 0.0f}};
  nbest_size = std::max(1, std::min(nbest_size, 1024));
  NBestResult results;
  if (nbest_size == 1) {
    results.emplace_back();
    Encode(normalized, &results.back().first);
    return results;
  }
  Lattice lattice;
  lattice.SetSentence(normalized);
  PopulateNodes(&lattice);
  for (const Lattice::Path& path : lattice.NBest(nbest_size, false, 0.0f)) {
    results.emplace_back();
    PathToResult(lattice, path.first, &results.back().first);
    results.back().second = path.second;
  }
  return results;
}

void UnigramModel::SampleEncode(std::string_view normalized, float inv_theta,
                                EncodeResult* out) const {
  out->clear();
  if (normalized.empty()) return;
  Lattice lattice;
  lattice.SetSentence(normalized);
  PopulateNodes(&lattice);
  PathToResult(lattice, lattice.Sample(inv_theta), out);
}

UnigramModel::NBestResult UnigramModel::SampleEncodeAndScore(std::string_view normalized,
                                                             float inv_theta, int samples,
                                                             bool wor, bool include_best) const {
  if (normalized.empty()) return {};
  if (include_best && !wor) return {};  // Not defined for sampling with replacement.
  NBestResult results;
  Lattice lattice;
  lattice.SetSentence(normalized);
  PopulateNodes(&lattice);
  const float log_z = lattice.Forward(inv_theta)[Lattice::kEos];

  if (include_best) {
    // The best path is always included: inclusion probability 1.
    results.emplace_back();
    PathToResult(lattice, lattice.Viterbi().first, &results.back().first);
    results.back().second = 0.0f;
  }

  if (!wor) {
    while (static_cast<int>(results.size()) < samples) {
      Lattice fresh;
      fresh.SetSentence(normalized);
      PopulateNodes(&fresh);
      float score = 0.0f;
      results.emplace_back();
      const std::vector<int> path = fresh.Sample(inv_theta);
      for (int n : path) score += inv_theta * fresh.node(n).score;
      PathToResult(fresh, path, &results.back().first);
      results.back().second = score - log_z;
    }
    return results;
  }

  // Gumbel top-k: draw k + 1 paths; the (k+1)-th perturbed score (kappa)
  // turns each path's score into its inclusion probability.
  std::vector<Lattice::Path> drawn = lattice.NBest(samples + 1, true, inv_theta);
  if (include_best) {
    const std::vector<int> best = lattice.Viterbi().first;
    auto it = std::find_if(drawn.begin(), drawn.end(),
                           [&best](const Lattice::Path& p) { return p.first == best; });
    if (it != drawn.end()) {
      drawn.erase(it);
    } else if (!drawn.empty()) {
      drawn.pop_back();
    }
  }
  if (drawn.empty()) return results;
  const double kappa = static_cast<double>(drawn.back().second);
  drawn.pop_back();
  for (const Lattice::Path& p : drawn) {
    float score = 0.0f;
    for (int n : p.first) score += inv_theta * lattice.node(n).score;
    results.emplace_back();
    PathToResult(lattice, p.first, &results.back().first);
    results.back().second = score - log_z;
  }
  for (auto& r : results) {
    if (r.second == 0.0f) continue;  // The included best path.
    const double x = r.second - kappa;
    const double y = std::exp(x);
    // log(1 - exp(-exp(x))): the log Gumbel survival function; a series
    // expansion where it would underflow.
    const double log_inclusion = x <= -10
                                     ? x - (y / 2) + (std::pow(y, 2) / 24) - std::pow(y, 4) / 2880
                                     : std::log(-std::expm1(-y));
    r.second = static_cast<float>(log_inclusion);
  }
  return results;
}

float UnigramModel::CalculateEntropy(std::string_view normalized, float inv_theta) const {
  Lattice lattice;
  lattice.SetSentence(normalized);
  PopulateNodes(&lattice);
  return lattice.Entropy(inv_theta);
}

float UnigramModel::ScorePieces(std::string_view joined) const {
  float total = 0;
  const float unk_score = min_score_ - kUnkPenalty;
  size_t start = 0;
  while (true) {
    const size_t space = joined.find(' ', start);
    const std::string_view p =
        joined.substr(start, space == std::string_view::npos ? std::string_view::npos
                                                              : space - start);
    const int id = vocab_.PieceToId(p);
    if (p.empty()) {
      // Empty fields (double spaces) are not pieces.
    } else if (id == vocab_.unk_id()) {
      total += unk_score;
    } else if (vocab_.IsUserDefined(id)) {
      total += static_cast<int>(p.size()) * max_score_ - 0.1;
    } else {
      total += vocab_.GetScore(id);
    }
    if (space == std::string_view::npos) break;
    start = space + 1;
  }
  return total;
}

bool UnigramModel::VerifyOutputsEquivalent(std::string_view expected,
                                           std::string_view actual) const {
  return std::fabs(ScorePieces(expected) - ScorePieces(actual)) <= kEpsilon;
}

}  // namespace sentencepiece
