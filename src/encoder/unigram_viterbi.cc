// UnigramModel's Viterbi pass over a word or a text (without building a
// lattice: see unigram_model.h), with the decision statistics that decide
// when a cached word's segmentation can be reused after another path score,
// and those reuse bounds.

#include "encoder/unigram_model.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <mutex>

#include "common/utf8.h"

namespace sentencepiece {

// The largest difference rounding can make between the reference's
// candidates and ours for a word of `chars` characters, with path scores up
// to `magnitude` above a base of `base`: each float store rounds by at most
// 2^-24 of the value, and a path has at most `chars` stores. The factor 4
// is a safety margin.
// Solved for |base|, and shrunk a little so that rounding in this formula
// never makes it looser than the bound itself.
double UnigramModel::MaxReusableBase(double margin, double magnitude, uint32_t chars) {
  const double per_unit = 4.0 * (2.0 * chars + 2.0) * std::ldexp(1.0, -24);
  return (margin / per_unit - 2.0 * magnitude - 1.0) * (1.0 - 1e-9) - 1e-9;
}

double UnigramModel::MaxReusableBaseIfIntegral(const WordStats& stats,
                                               bool* needs_integral_base) {
  const double bound = MaxReusableBase(stats.margin, stats.magnitude, stats.chars);
  // An integral base of magnitude below 2^24 - magnitude keeps every
  // candidate, and every path score stored, an integer of magnitude at
  // most 2^24: exact in a float.
  const double exact = kExactIntegers - stats.magnitude;
  *needs_integral_base = stats.integral && exact > bound;
  return *needs_integral_base ? exact : bound;
}

const UnigramModel::TrieScoreTable& UnigramModel::NewScoreTable() const {
  std::lock_guard<std::mutex> lock(trie_scores_mu_);
  const TrieScoreTable* t = trie_scores_.load(std::memory_order_acquire);
  if (t != nullptr && t->uid == uid()) return *t;
  auto table = std::make_unique<TrieScoreTable>();
  table->uid = uid();
  // One more entry than the vocabulary: see SegmentScores().
  table->score.resize(vocab_.size() + 1, 0.0);
  double unused;
  std::memcpy(&unused, &kUnusedMark, sizeof(unused));
  for (int id = 0; id < vocab_.size(); ++id) {
    const PieceType type = vocab_.GetType(id);
    table->score[id] = type == ModelProto::SentencePiece::UNUSED         ? unused
                       : type == ModelProto::SentencePiece::USER_DEFINED ? UserDefinedScore(id)
                                                                         : vocab_.GetScore(id);
    table->any_unused |= type == ModelProto::SentencePiece::UNUSED;
  }
  // Neither the unknown piece nor the id past the last is a trie key: the
  // walks never read them.
  if (vocab_.unk_id() >= 0) table->score[vocab_.unk_id()] = unk_score();
  trie_score_tables_.push_back(std::move(table));
  trie_scores_.store(trie_score_tables_.back().get(), std::memory_order_release);
  return *trie_score_tables_.back();
}

float UnigramModel::Viterbi(std::string_view text, size_t begin, size_t end, float base,
                            EncodeResult* out, WordStats* stats) const {
  if (stats != nullptr) return ViterbiImpl<true>(text, begin, end, base, out, stats);
  return ViterbiParts(text, begin, end, base, out, nullptr);
}

float UnigramModel::ViterbiInParts(std::string_view text, size_t begin, size_t end, float base,
                                   EncodeResult* buffer, SegmentSink consume) const {
  buffer->clear();
  base = ViterbiParts(text, begin, end, base, buffer, &consume);
  HandOverRest(buffer, &consume);
  return base;
}

float UnigramModel::ViterbiParts(std::string_view text, size_t begin, size_t end, float base,
                                 EncodeResult* out, const SegmentSink* consume) const {
  // A long range goes in parts of at least kPartBytes, cut between two
  // characters no piece has side by side: no lattice edge crosses such a
  // cut, so each part's best path, from the path score the previous part
  // ends with, is the whole range's, to the bit. The per-byte table then
  // stays the size of a part (16 bytes per byte of a 10 MB line was most of
  // its memory and page faults).
  constexpr size_t kPartBytes = size_t{1} << 16;
  const CharAdjacency* adjacency = end - begin > 2 * kPartBytes ? Adjacency() : nullptr;
  if (adjacency == nullptr) return ViterbiImpl<false>(text, begin, end, base, out, nullptr);
  size_t part = begin;
  size_t prev_len = 0;  // Of the previous character.
  for (size_t pos = begin; pos < end;) {
    // Characters as ViterbiImpl() steps through them; edges are looked at
    // only once a part is long enough.
    const size_t len = std::min(end - pos, utf8::OneCharLen(text[pos]));
    if (pos - part >= kPartBytes) {
      const std::string_view prev = text.substr(pos - prev_len, prev_len);
      const std::string_view c = text.substr(pos, len);
      if (utf8::IsWholeChar(prev) && utf8::IsWholeChar(c) && adjacency->NeverAdjacent(prev, c)) {
        base = ViterbiImpl<false>(text, part, pos, base, out, nullptr);
        HandOver(out, consume);
        part = pos;
      }
    }
    prev_len = len;
    pos += len;
  }
  return ViterbiImpl<false>(text, part, end, base, out, nullptr);
}

template <bool kStats>
float UnigramModel::ViterbiImpl(std::string_view text, size_t begin, size_t end, float base,
                                EncodeResult* out, WordStats* stats) const {
  const TrieScoreTable& table = ScoreTable();
  const double* scores = table.score.data();
  if (table.any_unused) {
    return kStats && integral_steps_
               ? ViterbiPass<kStats, true, true>(text, begin, end, base, scores, out, stats)
               : ViterbiPass<kStats, false, true>(text, begin, end, base, scores, out, stats);
  }
  return kStats && integral_steps_
             ? ViterbiPass<kStats, true, false>(text, begin, end, base, scores, out, stats)
             : ViterbiPass<kStats, false, false>(text, begin, end, base, scores, out, stats);
}

template <bool kStats, bool kIntegral, bool kUnused>
float UnigramModel::ViterbiPass(std::string_view text, size_t begin, size_t end, float base,
                                const double* trie_scores, EncodeResult* out,
                                WordStats* stats) const {
  // best[e]: the best path covering text[begin, begin + e). An entry
  // holds a path only if its stamp is this call's, so nothing is filled up
  // front (every character start gets a path before it is read: from a
  // single-character piece or an unknown node).
  struct Best {
    float score;
    int start;
    int id;
    uint32_t stamp;
  };
  thread_local std::vector<Best> best_storage;
  thread_local uint32_t stamp = 0;
  const size_t size = end - begin;
  if (best_storage.size() < size + 1) best_storage.resize(size + 1, Best{0.0f, 0, 0, 0});
  if (++stamp == 0) {  // Wrapped: no entry may look current.
    for (Best& b : best_storage) b.stamp = 0;
    stamp = 1;
  }
  const uint32_t current = stamp;
  Best* const best = best_storage.data();
  best[0] = {base, 0, -1, current};
  const float unk_score = this->unk_score();
  const int unk_id = vocab_.unk_id();
  const auto* data = reinterpret_cast<const unsigned char*>(text.data() + begin);
  const FlatTrie* trie = TrieFor(size);
  // The stats in locals (through `stats`, every candidate would store
  // them: the compiler cannot tell they are not `best`).
  double margin = HUGE_VAL;
  double magnitude = 0.0;
  uint32_t chars = 0;
  // A word's first candidates, from base 0, are its first step's scores:
  // without kIntegral the word's `integral` is false, known without a
  // check per candidate.
  bool integral = kIntegral;
  auto note = [&](double candidate, const Best& b) {
    if (!kStats) return;
    magnitude = std::max(magnitude, std::fabs(candidate));
    if (kIntegral) integral &= IsIntegral(candidate);
    if (b.stamp == current) {
      margin = std::min(margin, std::fabs(candidate - static_cast<double>(b.score)));
    }
  };

  for (size_t start = 0; start < size;) {
    const float base_here = best[start].score;
    const size_t char_len = std::min(size - start, utf8::OneCharLen(data[start]));
    const size_t char_end = start + char_len;
    // The piece text[start, pos) with id `id`, as a candidate; false if it
    // is UNUSED (not a candidate).
    auto consider = [&](size_t pos, int id) {
      const double score = trie_scores[id];
      if (kUnused && IsUnusedMark(score)) return false;
      const double candidate = score + base_here;
      Best& b = best[pos];
      note(candidate, b);
      if (b.stamp != current || candidate > b.score) {
        b = {static_cast<float>(candidate), static_cast<int>(start), id, current};
      }
      return true;
    };
    // Whether a piece is this character alone (else it is an unknown).
    bool has_single_char_piece = false;
    if (trie != nullptr) {
      // The character's own bytes first (one, in most text), where a key
      // ending at char_end is the single-character piece; then the rest
      // of the walk without that test.
      FlatTrie::Cursor at = trie->root();
      size_t pos = start;
      bool walking = true;
      while (pos < char_end) {
        if (!trie->Step(&at, data[pos])) {
          walking = false;
          break;
        }
        ++pos;
        if (FlatTrie::HasValue(at)) {
          const bool considered = consider(pos, trie->Value(at));
          has_single_char_piece = considered && pos == char_end;
        }
      }
      while (walking && pos < size) {
        if (!trie->Step(&at, data[pos])) break;
        ++pos;
        if (FlatTrie::HasValue(at)) consider(pos, trie->Value(at));
      }
    } else {
      PrefixPieces(nullptr,
                   std::string_view(reinterpret_cast<const char*>(data) + start, size - start),
                   [&](size_t len, int id) {
                     const bool considered = consider(start + len, id);
                     has_single_char_piece |= considered && start + len == char_end;
                     return true;
                   });
    }
    if (!has_single_char_piece) {
      const float candidate = unk_score + base_here;
      Best& b = best[char_end];
      note(candidate, b);
      if (b.stamp != current || candidate > b.score) {
        b = {candidate, static_cast<int>(start), unk_id, current};
      }
    }
    start = char_end;
    if (kStats) ++chars;
  }
  if (kStats) {
    stats->margin = margin;
    stats->magnitude = magnitude;
    stats->integral = integral;
    stats->chars = chars;
  }

  // The path, back to front, written in place (push_back() of a temporary
  // and a reverse cost a store-forwarding stall per piece).
  const size_t first = out->size();
  size_t count = 0;
  for (size_t e = size; e > 0; e = best[e].start) ++count;
  out->resize(first + count);
  EncodedPiece* piece = out->data() + first + count;
  // With stats, each segment's score as the path added it: the table
  // holds the trie pieces' (a user-defined piece's included) and the
  // unknown piece's (SegmentScores()).
  double* score = nullptr;
  if (kStats) {
    stats->scores.resize(count);
    score = stats->scores.data() + count;
  }
  const char* const text_begin = text.data() + begin;
  for (size_t e = size; e > 0;) {
    const Best& b = best[e];
    --piece;
    piece->piece = std::string_view(text_begin + b.start, e - b.start);
    piece->id = b.id;
    if (kStats) *--score = trie_scores[b.id];
    e = b.start;
  }
  return best[size].score;
}

}  // namespace sentencepiece
