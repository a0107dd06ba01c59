#include "encoder/unigram_model.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "absl/container/inlined_vector.h"
#include "absl/status/status.h"
#include "common/status_macros.h"
#include "common/utf8.h"

namespace sentencepiece {
namespace {

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
  m->keys_.assign((static_cast<size_t>(v.size()) + 63) / 64, 0);
  for (int id = 0; id < v.size(); ++id) {
    const PieceType type = v.GetType(id);
    if (type == ModelProto::SentencePiece::NORMAL) {
      m->min_score_ = std::min(m->min_score_, v.GetScore(id));
      m->max_score_ = std::max(m->max_score_, v.GetScore(id));
    }
    if (InTrie(v, id)) {
      m->keys_[id >> 6] |= uint64_t{1} << (id & 63);
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
  m->integral_steps_ = IsIntegral(m->unk_score());
  for (int id = 0; id < v.size() && !m->integral_steps_; ++id) {
    if (!m->IsKey(id)) continue;
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
    if (IsKey(id)) keys.emplace_back(vocab_.IdToPiece(id), id);
  }
  // Valid keys (unique, no NUL) always build; a vocabulary too large for
  // the flat layout does not, and the hash lookups stay in use (same
  // results, slower).
  return FlatTrie::Build(std::move(keys));
}

const FlatTrie* UnigramModel::Trie() const {
  return trie_.Get([this] { return BuildTrie(); });
}

const FlatTrie* UnigramModel::TrieBeforeBuilt(size_t bytes) const {
  // Ski rental: hash lookups until they have cost about what the build
  // costs, then the build (a run of a few KB never builds the trie, and a
  // long one spends at most about twice the build on both), if the input
  // did not predict as much sooner (NoteInput()). While another thread
  // builds the trie, this one keeps to hash lookups.
  // (Built once more than probes_before_trie() probes were made.)
  return trie_.TryGetOnceSpent([this, bytes] { return ProbesFor(bytes); },
                               probes_before_trie() + 1, [this] { return BuildTrie(); });
}

void UnigramModel::ExpectInput(size_t bytes) const {
  // (A thread that finds another building the trie goes on without it.)
  if (ExpectInputBuilds(bytes)) {
    trie_.TryGet([this] { return BuildTrie(); });
  } else if (!trie_.done()) {
    expected_bytes_.fetch_add(bytes, std::memory_order_relaxed);
  }
}

void UnigramModel::NoteInputSlow(size_t bytes) const {
  // A line this long is an input of its own (a library caller's text, a
  // file of long lines): it pays for the build at once, and no sample of
  // it comes before its own segmentation.
  if (bytes >= kLargeInputBytes) {
    trie_.TryGet([this] { return BuildTrie(); });
    return;
  }
  // One prediction, when the sample is complete: the probes so far scaled
  // up to the input announced.
  const size_t noted = noted_bytes_.fetch_add(bytes, std::memory_order_relaxed) + bytes;
  if (noted < kRateSampleBytes || noted - bytes >= kRateSampleBytes) return;
  const size_t expected = expected_bytes_.load(std::memory_order_relaxed);
  if (expected <= noted) return;  // Nothing announced, or no more of it.
  const double predicted =
      static_cast<double>(trie_.spent()) *
      std::pow(static_cast<double>(expected) / static_cast<double>(noted), kProbeGrowth);
  if (predicted > static_cast<double>(probes_before_trie())) {
    trie_.TryGet([this] { return BuildTrie(); });
  }
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
  const float unk_score = this->unk_score();
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
  const float unk_score = this->unk_score();
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
