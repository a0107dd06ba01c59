#include "encoder/unigram_model.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "absl/container/inlined_vector.h"
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

absl::StatusOr<std::unique_ptr<Model>> UnigramModel::Create(const ModelProto& proto,
                                                        Vocabulary vocab) {
  std::unique_ptr<UnigramModel> m(new UnigramModel(proto, std::move(vocab)));
  const Vocabulary& v = m->vocab_;

  // The reference starts the maximum at FLT_MIN, the smallest positive
  // float, not at -inf: with all-negative scores, user-defined symbols score
  // about -0.1 whatever their length.
  m->min_score_ = FLT_MAX;
  m->max_score_ = FLT_MIN;
  bool any_key = false;
  for (int id = 0; id < v.size(); ++id) {
    const PieceType type = v.GetType(id);
    if (type == ModelProto::SentencePiece::NORMAL) {
      m->min_score_ = std::min(m->min_score_, v.GetScore(id));
      m->max_score_ = std::max(m->max_score_, v.GetScore(id));
    }
    if (InTrie(v, id)) {
      any_key = true;
      m->splitter_.Add(v.IdToPiece(id));
      m->max_key_bytes_ = std::max(m->max_key_bytes_, v.IdToPiece(id).size());
      m->trie_key_bytes_ += v.IdToPiece(id).size();
    }
  }
  if (!any_key) return absl::InternalError("no pieces are loaded.");
  // Whether some first step of a word's path, from base 0, can be an
  // integer: the unknown piece's score or a trie piece's (under any
  // vocabulary restriction, so UNUSED pieces count too).
  m->integral_steps_ = IsIntegral(m->min_score_ - kUnkPenalty);
  for (int id = 0; id < v.size() && !m->integral_steps_; ++id) {
    if (!InTrie(v, id)) continue;
    m->integral_steps_ = IsIntegral(v.GetType(id) == ModelProto::SentencePiece::USER_DEFINED
                                        ? m->UserDefinedScore(id)
                                        : static_cast<double>(v.GetScore(id)));
  }
  // The trie is built on first real use (Trie()), not here.
  return std::unique_ptr<Model>(std::move(m));
}

bool UnigramModel::InTrie(const Vocabulary& v, int id) {
  // The non-reserved pieces (each string is unique among them), but for
  // any with a NUL byte, which text can never walk to.
  const PieceType type = v.GetType(id);
  return (type == ModelProto::SentencePiece::NORMAL ||
          type == ModelProto::SentencePiece::USER_DEFINED ||
          type == ModelProto::SentencePiece::UNUSED) &&
         v.IdToPiece(id).find('\0') == std::string_view::npos;
}

std::unique_ptr<FlatTrie> UnigramModel::BuildTrie() const {
  // (Vocabulary restriction only toggles NORMAL and UNUSED: the key set
  // is the load-time one.)
  std::vector<std::pair<std::string_view, uint32_t>> keys;
  keys.reserve(vocab_.size());
  for (int id = 0; id < vocab_.size(); ++id) {
    if (InTrie(vocab_, id)) keys.emplace_back(vocab_.IdToPiece(id), id);
  }
  SortKeys(&keys);
  auto built = BuildDoubleArray(keys);
  // Valid keys (unique, no NUL, ids below 2^31) always build; if not, the
  // hash lookups stay in use (same results, slower).
  // The same goes for a vocabulary too large for the flat layout.
  if (!built.ok()) return nullptr;
  return FlatTrie::From(*built);
}

const FlatTrie* UnigramModel::Trie() const {
  return trie_.Get([this] { return BuildTrie(); });
}

const FlatTrie* UnigramModel::TrieBeforeBuilt(size_t bytes) const {
  // Ski rental: hash lookups until they have cost about what the build
  // costs, then the build (a run of a few KB never builds the trie, and a
  // long one spends at most about twice the build on both). While another
  // thread builds the trie, this one keeps to hash lookups.
  const size_t probes = ProbesFor(bytes);
  const size_t seen = hashed_probes_.fetch_add(probes, std::memory_order_relaxed) + probes;
  if (seen <= probes_before_trie()) return nullptr;
  return trie_.TryGet([this] { return BuildTrie(); });
}

void UnigramModel::ExpectInput(size_t bytes) const {
  // (A thread that finds another building the trie goes on without it.)
  if (bytes >= kLargeInputBytes) trie_.TryGet([this] { return BuildTrie(); });
}

// Performance notes. Encoding is a Viterbi pass per word, where words are
// split at edges no piece crosses (word_splitter.h), and each word's result
// is cached per thread. Reusing a cached segmentation is exact only if the
// reference, which runs one Viterbi over the whole text, would make the
// same decisions: its path scores are floats that carry the score of the
// text before the word (`base`), so rounding differs from a run that starts
// at 0. A decision whose two candidates differ by more than the rounding
// that can accumulate along the word's paths cannot flip, so the cached
// result is reused only when every decision in the word had a margin above
// that bound for the current base; otherwise the word is re-run from the
// exact base. The base itself is carried exactly by replaying the float
// additions along the chosen path.

namespace {

// A cached word: this header, `num_segments` segments, then as many
// doubles (each segment's score, for replaying the path score).
struct CachedWord {
  double max_base;  // Reusable iff |base| < max_base,
  uint32_t num_segments;
  uint32_t integral_base;  // and, if set, base is an integer.
};
struct CachedSegment {
  uint16_t offset;
  uint16_t length;
  int32_t id;
};

}  // namespace

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

const double* UnigramModel::NewTrieScores() const {
  std::lock_guard<std::mutex> lock(trie_scores_mu_);
  const TrieScoreTable* t = trie_scores_.load(std::memory_order_acquire);
  if (t != nullptr && t->uid == uid()) return t->score.data();
  auto table = std::make_unique<TrieScoreTable>();
  table->uid = uid();
  table->score.resize(vocab_.size());
  for (int id = 0; id < vocab_.size(); ++id) {
    const PieceType type = vocab_.GetType(id);
    table->score[id] = type == ModelProto::SentencePiece::UNUSED         ? std::nan("")
                       : type == ModelProto::SentencePiece::USER_DEFINED ? UserDefinedScore(id)
                                                                         : vocab_.GetScore(id);
  }
  trie_score_tables_.push_back(std::move(table));
  trie_scores_.store(trie_score_tables_.back().get(), std::memory_order_release);
  return trie_score_tables_.back()->score.data();
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
  const float unk_score = min_score_ - kUnkPenalty;
  const int unk_id = vocab_.unk_id();
  const auto* data = reinterpret_cast<const unsigned char*>(text.data() + begin);
  const double* trie_scores = TrieScores();
  const FlatTrie* trie = TrieFor(size);
  // The stats in locals (through `stats`, every candidate would store
  // them: the compiler cannot tell they are not `best`).
  double margin = HUGE_VAL;
  double magnitude = 0.0;
  uint32_t chars = 0;
  // A word's first candidates, from base 0, are its first step's scores:
  // integral_steps_ false means the word's `integral` is false, known
  // without a check per candidate.
  const bool check_integral = integral_steps_;
  bool integral = check_integral;
  auto note = [&](double candidate, const Best& b) {
    if (!kStats) return;
    magnitude = std::max(magnitude, std::fabs(candidate));
    if (check_integral) integral &= IsIntegral(candidate);
    if (b.stamp == current) {
      margin = std::min(margin, std::fabs(candidate - static_cast<double>(b.score)));
    }
  };

  for (size_t start = 0; start < size;) {
    const float base_here = best[start].score;
    const size_t char_len = std::min(size - start, utf8::OneCharLen(data[start]));
    const size_t char_end = start + char_len;
    bool has_single_char_piece = false;
    // The piece text[start, pos) with id `id`, as a candidate.
    auto consider = [&](size_t pos, int id) {
      const double score = trie_scores[id];
      if (std::isnan(score)) return;  // UNUSED.
      const double candidate = score + base_here;
      Best& b = best[pos];
      note(candidate, b);
      if (b.stamp != current || candidate > b.score) {
        b = {static_cast<float>(candidate), static_cast<int>(start), id, current};
      }
      has_single_char_piece |= pos == char_end;
    };
    if (trie != nullptr) {
      FlatTrie::Cursor at = trie->root();
      for (size_t pos = start; pos < size;) {
        if (!trie->Step(&at, data[pos])) break;
        ++pos;
        if (FlatTrie::HasValue(at)) consider(pos, trie->Value(at));
      }
    } else {
      PrefixPieces(nullptr,
                   std::string_view(reinterpret_cast<const char*>(data) + start, size - start),
                   [&](size_t len, int id) {
                     consider(start + len, id);
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
  // With stats, each segment's score as the path added it: the trie's
  // (a user-defined piece's included), or the unknown piece's, which is
  // never in the trie.
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
    if (kStats) *--score = b.id == unk_id ? static_cast<double>(unk_score) : trie_scores[b.id];
    e = b.start;
  }
  return best[size].score;
}

void UnigramModel::EncodeWords(std::string_view normalized, EncodeResult* out,
                               const SegmentSink* consume) const {
  out->clear();
  if (normalized.empty()) return;
  // At most one piece per character; most text has fewer, and a long
  // text's result then grows without copies.
  if (consume == nullptr && normalized.size() > 4096) out->reserve(normalized.size() / 3);
  WordCache* cache = cache_.Get(uid());
  thread_local EncodeResult local_storage;
  thread_local WordStats stats_storage;
  thread_local std::vector<uint64_t> value_storage;
  // Plain references: a thread_local with a constructor costs an
  // initialization check on every use, lambdas included.
  EncodeResult& local = local_storage;
  WordStats& stats = stats_storage;
  std::vector<uint64_t>& value = value_storage;
  float base = 0.0f;  // The reference's path score at the current word start.
  auto step = [](std::string_view t, size_t pos) {
    return std::min(t.size() - pos, utf8::OneCharLen(t[pos]));
  };
  auto segment_word = [&](size_t begin, size_t end) {
    const std::string_view word = normalized.substr(begin, end - begin);
    // Runs of unspaced scripts are segmented directly (LikelyUnrepeated()):
    // never stored, so never looked up either.
    if (word.size() <= WordCache::kMaxWordBytes && !LikelyUnrepeated(word)) {
      const uint64_t hash = HashWord(word);
      const WordCache::Entry* hit = cache->Find(word, hash);
      if (hit == nullptr && !cache->full()) {
        local.clear();
        Viterbi(word, 0, word.size(), 0.0f, &local, &stats);
        const size_t n = local.size();
        value.assign(2 + n + n, 0);
        bool integral_base = false;
        CachedWord header{MaxReusableBaseIfIntegral(stats, &integral_base),
                          static_cast<uint32_t>(n), integral_base ? 1u : 0u};
        std::memcpy(value.data(), &header, sizeof(header));
        auto* segs = reinterpret_cast<CachedSegment*>(value.data() + 2);
        for (size_t i = 0; i < n; ++i) {
          segs[i] = {static_cast<uint16_t>(local[i].piece.data() - word.data()),
                     static_cast<uint16_t>(local[i].piece.size()), local[i].id};
        }
        std::memcpy(value.data() + 2 + n, stats.scores.data(), n * sizeof(double));
        hit = cache->Insert(word, hash, value.data(), value.size() * 8);
      }
      if (hit != nullptr) {
        const auto* header = static_cast<const CachedWord*>(hit->value());
        if (Reusable(header->max_base, header->integral_base != 0, base)) {
          const auto* segs = reinterpret_cast<const CachedSegment*>(header + 1);
          const auto* scores = reinterpret_cast<const double*>(segs + header->num_segments);
          for (uint32_t i = 0; i < header->num_segments; ++i) {
            AppendPiece(out, word.substr(segs[i].offset, segs[i].length), segs[i].id);
            base = static_cast<float>(scores[i] + static_cast<double>(base));
          }
          return;
        }
      }
    }
    base = ViterbiParts(normalized, begin, end, base, out, consume);
  };
  splitter_.Split(normalized, step, [&](size_t begin, size_t end) {
    segment_word(begin, end);
    HandOver(out, consume);
  });
  HandOverRest(out, consume);
}

void UnigramModel::PopulateNodes(Lattice* lattice) const {
  const FlatTrie* trie = Trie();
  const float unk_score = min_score_ - kUnkPenalty;
  const int len = lattice->size();
  const std::string_view text = lattice->sentence();
  for (int begin_pos = 0; begin_pos < len; ++begin_pos) {
    const size_t begin = lattice->char_start(begin_pos);
    bool has_single_char_node = false;
    PrefixPieces(trie, text.substr(begin), [&](size_t byte_len, int id) {
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
