// BPE for short texts (words, in practice): the same merges as the general
// loop in bpe_model.cc, organized for a handful of symbols.
//
// The general loop keeps candidate pairs in a heap and symbols in a linked
// list, which pays for itself on long texts. A word has a few symbols: here
// they sit in small arrays compacted after each merge, and the next merge
// is found by scanning the live pairs. Each step takes the pair with the
// highest score, the leftmost on ties (the scan goes left to right and
// keeps the first maximum), exactly the heap's order, so the result is the
// same. Once the initial pairs are looked up, the pairs the first merges
// would make are prefetched, speculatively: on a cold pair cache, a word's
// later lookups then overlap instead of stalling in turn.

#include "encoder/bpe_model.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <type_traits>

#if defined(__SSE2__)
#include <xmmintrin.h>
#endif

#include "common/slice.h"

namespace sentencepiece {

template <bool kTables>
bool BpeModel::EncodeShortImpl(std::string_view text, EncodeResult* out) const {
  if (vocab_.has_unused() || pairs_ == nullptr) return false;
  // Symbol i covers text[begin[i], begin[i + 1]). (kShiftLanes more
  // entries for the fixed-width shift after a merge, below.)
  constexpr int kShiftLanes = 16;
  uint32_t begin[kMaxShortSymbols + 1 + kShiftLanes];
  int id[kMaxShortSymbols + kShiftLanes];
  bool frozen[kMaxShortSymbols + kShiftLanes];
  int n = 0;
  const PrefixMatcher& matcher = vocab_.user_defined_matcher();
  for (size_t pos = 0; pos < text.size(); ++n) {
    if (n == kMaxShortSymbols) return false;
    bool f = false;
    const size_t len = matcher.PrefixMatch(Slice(text, pos, text.size()), &f);
    const std::string_view piece = Slice(text, pos, pos + len);
    begin[n] = static_cast<uint32_t>(pos);
    id[n] = InitialId<kTables>(piece, f);
    frozen[n] = f;
    pos += len;
  }
  begin[n] = static_cast<uint32_t>(text.size());

  // merged[i]: the piece symbols i and i + 1 merge into (-1: none), with
  // its score (-inf: none, when no piece has that score).
  int merged[kMaxShortSymbols + kShiftLanes];
  float score[kMaxShortSymbols + kShiftLanes];
  constexpr float kNone = -std::numeric_limits<float>::infinity();
  // Candidates (symbols i and i + 1 may merge) are found first, then
  // looked up.
  const PieceFilter* filter = kTables ? WarmPieceFilter() : nullptr;
  const bool warm = filter != nullptr;
  auto may_merge = [&](int i) {
    return !frozen[i] && !frozen[i + 1] &&
           MayMergeIf<kTables>(Slice(text, begin[i], begin[i + 2]), filter);
  };
  // (Inlined: as a call from its three places it spent ~30 instructions a
  // lookup saving and restoring registers.)
  auto pair = [&](int i) __attribute__((always_inline)) {
    const std::string_view m = Slice(text, begin[i], begin[i + 2]);
    merged[i] = MergeId<kTables>(id[i], id[i + 1], m, warm);
    score[i] = merged[i] >= 0 ? vocab_.GetScore(merged[i]) : kNone;
  };
  bool candidate[kMaxShortSymbols];
  // Scores past the last pair stay -inf, over at least kScanLanes lanes
  // (the shift after a merge copies that padding down), so that a word of
  // up to kScanLanes symbols is scanned in fixed-width steps; and over
  // kShiftLanes more, which the fixed-width shift reads.
  constexpr int kScanLanes = 16;
  static_assert(kShiftLanes == kScanLanes, "a shift moves the scanned lanes");
  for (int i = 0; i < std::max(n, kScanLanes) + kShiftLanes; ++i) score[i] = kNone;
  for (int i = 0; i + 1 < n; ++i) {
    merged[i] = -1;  // (Its score is -inf from the padding above.)
    candidate[i] = may_merge(i);
  }
  for (int i = 0; i + 1 < n; ++i) {
    if (candidate[i]) pair(i);
  }
  // Each merge looks up the pairs its new symbol makes with its
  // neighbours, and the next merge waits for those answers: a word's
  // merges paid one pair-cache miss after another. The pairs every first
  // merge would make are asked for now, whichever merges first: most of a
  // word's later lookups then find their slots in the CPU's caches. (Called
  // directly: GCC 12 deleted the calls of a lambda whose only work was such
  // a prefetch, as free of side effects; asking for each pair's own slot
  // right before its lookup, done that way until session 49, had compiled
  // to nothing, and with the prefetches kept gave no gain.)
  // (llama2, 20 MB, alternating runs: CPU time -1% to -4% on English,
  // Chinese and mixed text for +2% instructions.)
  if (warm) {
    for (int i = 0; i + 1 < n; ++i) {
      if (merged[i] < 0) continue;
      if (i > 0 && id[i - 1] >= 0) pairs_->Prefetch(id[i - 1], merged[i]);
      if (i + 2 < n && id[i + 2] >= 0) pairs_->Prefetch(merged[i], id[i + 2]);
    }
  }

  while (n > 1) {
    // The first candidate with the highest score, without branches (which
    // candidate wins varies from word to word: a branch here was
    // mispredicted on about every other merge).
    int best = -1;
    if (kTables && scores_above_minus_inf_) {
      // A pair that does not merge scores -inf, below every piece.
#if defined(__SSE2__)
      if (n <= kScanLanes) {
        // The largest of the 16 lanes, then the first lane that holds it:
        // a loop over the n - 1 pairs ended where the predictor could not
        // tell (n shrinks with every merge; cachegrind: ~9% of llama2's
        // mispredicts on English).
        const __m128 s0 = _mm_loadu_ps(score), s1 = _mm_loadu_ps(score + 4);
        const __m128 s2 = _mm_loadu_ps(score + 8), s3 = _mm_loadu_ps(score + 12);
        __m128 m = _mm_max_ps(_mm_max_ps(s0, s1), _mm_max_ps(s2, s3));
        m = _mm_max_ps(m, _mm_shuffle_ps(m, m, _MM_SHUFFLE(1, 0, 3, 2)));
        m = _mm_max_ps(m, _mm_shuffle_ps(m, m, _MM_SHUFFLE(2, 3, 0, 1)));
        const unsigned at_max = static_cast<unsigned>(_mm_movemask_ps(_mm_cmpeq_ps(s0, m))) |
                                static_cast<unsigned>(_mm_movemask_ps(_mm_cmpeq_ps(s1, m))) << 4 |
                                static_cast<unsigned>(_mm_movemask_ps(_mm_cmpeq_ps(s2, m))) << 8 |
                                static_cast<unsigned>(_mm_movemask_ps(_mm_cmpeq_ps(s3, m))) << 12;
        best = _mm_cvtss_f32(m) > kNone ? __builtin_ctz(at_max) : -1;
      } else
#endif
      {
        float best_score = kNone;
        for (int i = 0; i + 1 < n; ++i) {
          const bool better = score[i] > best_score;
          best = better ? i : best;
          best_score = better ? score[i] : best_score;
        }
      }
    } else {
      float best_score = 0.0f;
      for (int i = 0; i + 1 < n; ++i) {
        const bool better = (merged[i] >= 0) & ((best < 0) | (score[i] > best_score));
        best = better ? i : best;
        best_score = better ? score[i] : best_score;
      }
    }
    if (best < 0) break;
    // Symbol best absorbs best + 1; the arrays close the gap.
    id[best] = merged[best];
    if (n <= kScanLanes) {
      // In a word of up to kScanLanes symbols, kShiftLanes entries move,
      // whatever their number: a loop over the n - best - 2 that matter
      // ended where the predictor could not tell (cachegrind: ~6% of
      // llama2's mispredicts on English). What moves in past them is
      // padding (scores -inf) or never read.
      auto shift = [best](auto* a) {
        using T = std::remove_reference_t<decltype(*a)>;
        T moved[kShiftLanes];
        std::memcpy(moved, a + best + 2, sizeof(moved));
        std::memcpy(a + best + 1, moved, sizeof(moved));
      };
      shift(begin);
      shift(id);
      shift(frozen);
      shift(merged);
      shift(score);
    } else {
      for (int i = best + 1; i + 1 < n; ++i) {
        begin[i] = begin[i + 1];
        id[i] = id[i + 1];
        frozen[i] = frozen[i + 1];
        merged[i] = merged[i + 1];
        score[i] = score[i + 1];
      }
    }
    --n;
    begin[n] = static_cast<uint32_t>(text.size());
    // The merged symbol's pairs with its neighbours.
    const bool left = best > 0 && may_merge(best - 1);
    const bool right = best + 1 < n && may_merge(best);
    if (best > 0) {
      merged[best - 1] = -1;
      score[best - 1] = kNone;
    }
    merged[best] = -1;
    score[best] = kNone;
    if (left) pair(best - 1);
    if (right) pair(best);
    // The pairs the new candidates would make if merged next, asked for
    // now, as the first merges' are above.
    if (warm) {
      if (left && merged[best - 1] >= 0) {
        if (best > 1 && id[best - 2] >= 0) pairs_->Prefetch(id[best - 2], merged[best - 1]);
        if (best + 1 < n && id[best + 1] >= 0) pairs_->Prefetch(merged[best - 1], id[best + 1]);
      }
      if (right && merged[best] >= 0) {
        if (best > 0 && id[best - 1] >= 0) pairs_->Prefetch(id[best - 1], merged[best]);
        if (best + 2 < n && id[best + 2] >= 0) pairs_->Prefetch(merged[best], id[best + 2]);
      }
    }
  }

  for (int i = 0; i < n; ++i) {
    const std::string_view piece = Slice(text, begin[i], begin[i + 1]);
    AppendPiece(out, piece, SymbolOutputId(piece, id[i]));
  }
  return true;
}

template bool BpeModel::EncodeShortImpl<true>(std::string_view, EncodeResult*) const;
template bool BpeModel::EncodeShortImpl<false>(std::string_view, EncodeResult*) const;

}  // namespace sentencepiece
