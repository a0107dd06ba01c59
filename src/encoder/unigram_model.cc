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
