// Unigram language model segmentation (Kudo 2018, "Subword Regularization",
// https://arxiv.org/abs/1804.10959).
//
// Each piece has a log-probability score; the segmentation is the one with
// the highest total score, found by Viterbi over the lattice of all pieces
// that occur in the text. The lattice is never materialized: for each
// character start, the piece trie is walked byte by byte and each end
// position keeps only its best incoming path.
//
// Scoring, as in SentencePiece 0.1.97:
//   - NORMAL pieces score their model score; UNUSED pieces are skipped.
//   - USER_DEFINED pieces score length_in_bytes * max_score - 0.1, where
//     max_score is the largest NORMAL score but at least FLT_MIN, so they
//     win against any split of themselves.
//   - A character with no single-character piece gets an unknown node
//     scoring min_score - 10.
//   - A later candidate replaces the best path only if strictly better, so
//     ties keep the earliest start (the longest last piece).

#ifndef SPM_SRC_ENCODER_UNIGRAM_MODEL_H_
#define SPM_SRC_ENCODER_UNIGRAM_MODEL_H_

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "common/flat_trie.h"
#include "encoder/model.h"
#include "encoder/unigram_lattice.h"
#include "encoder/word_splitter.h"

namespace sentencepiece {

class UnigramModel : public WordByWordModel {
 public:
  static absl::StatusOr<std::unique_ptr<Model>> Create(const ModelProto& proto,
                                                       Vocabulary vocab);
  bool VerifyOutputsEquivalent(std::string_view expected,
                               std::string_view actual) const override;

  // Segmentations with scores, best first.
  using NBestResult = std::vector<std::pair<EncodeResult, float>>;

  // The n best segmentations (n clamped to [1, 1024]; n == 1 is Encode()
  // with score 0). Empty text gives one empty segmentation.
  NBestResult NBestEncode(std::string_view normalized, int nbest_size) const;

  // A segmentation drawn with probability proportional to
  // exp(inv_theta * score) (forward-filtering backward-sampling).
  void SampleEncode(std::string_view normalized, float inv_theta, EncodeResult* out) const;

  // `samples` segmentations, each with its log-probability (with `wor`,
  // drawn without replacement and scored by log inclusion probability;
  // `include_best` puts the Viterbi path first, only with `wor`). Empty
  // when the text is empty or include_best is asked without wor.
  NBestResult SampleEncodeAndScore(std::string_view normalized, float inv_theta, int samples,
                                   bool wor, bool include_best) const;

  // Entropy of the segmentation distribution.
  float CalculateEntropy(std::string_view normalized, float inv_theta) const;

  // Fills `lattice` (already set to the text) with every piece occurring in
  // it, plus unknown nodes for characters no piece covers.
  void PopulateNodes(Lattice* lattice) const;

  // The trie of the pieces Viterbi can use (NORMAL, USER_DEFINED, UNUSED;
  // none with a NUL byte) -> id. It is built on first need, not at load: it
  // is most of a load's work (~5 ms for 30k pieces), and a text of a few
  // KB is segmented sooner by hash lookups of each prefix. A model keeps to
  // those until they have probed twice as many prefixes as the trie has key
  // bytes (about what the build costs), or sooner when the input's size is
  // known (ExpectInput()) and the probes so far predict that much for the
  // whole of it (NoteInput()), or at once for a large input. Calling this
  // builds it now (a service may, to take the cost before its first
  // request). Null only if building failed; hash lookups then stay in use.
  const FlatTrie* Trie() const;
  bool trie_built() const { return trie_.done(); }
  // An input of kTrieAtOnceBytes or more builds the trie up front; a
  // smaller one is counted as text to come. How many probes a text needs
  // depends on its words more than on its size: under ALBERT (whose
  // build is worth ~500k probes), 200 KB of English probe ~400k prefixes
  // and 1 MB ~1.4M, 1 MB of Japanese ~470k (most of its characters come
  // from the lone characters' table), 200 KB of mixed languages ~900k; so
  // below that size, the text itself decides (NoteInput()).
  void ExpectInput(size_t bytes) const override;
  void SizeCachesFor(size_t bytes) const override { cache_.ExpectInput(bytes); }
  bool ExpectInputBuilds(size_t bytes) const override {
    return bytes >= kTrieAtOnceBytes && !trie_.done();
  }
  static constexpr size_t kTrieAtOnceBytes = size_t{512} << 10;
  // Notes that `bytes` of input have been encoded (the raw-word encoder
  // calls this for each line while the trie is not built). Once
  // kRateSampleBytes have been, the probes they took, scaled up to the
  // input announced by ExpectInput(), predict the whole input's: distinct
  // words, hence new words to segment, grow about as the text's length to
  // the power kProbeGrowth (fitted on 16 KB to 1 MB of English, Chinese,
  // Japanese and mixed text: 0.57-0.92). The trie is built then if that
  // passes probes_before_trie(); else the plain rental goes on. A line of
  // kLargeInputBytes or more builds it at once.
  void NoteInput(size_t bytes) const {
    if (!trie_.done()) NoteInputSlow(bytes);
  }
  static constexpr size_t kRateSampleBytes = size_t{16} << 10;
  static constexpr double kProbeGrowth = 0.7;
  // Hash probes ViterbiImpl() makes for `bytes` bytes (at most one per
  // prefix of each position, up to the longest key's length).
  size_t ProbesFor(size_t bytes) const {
    const size_t k = max_key_bytes_;
    return bytes <= k ? bytes * (bytes + 1) / 2 : bytes * k - k * (k - 1) / 2;
  }
  // Probes made by hash lookups before the trie is built.
  size_t probes_before_trie() const { return 2 * trie_key_bytes_; }

  float min_score() const { return min_score_; }
  // What an unknown character adds to a path: the worst piece's score
  // less kUnkPenalty.
  float unk_score() const { return min_score_ - kUnkPenalty; }
  float max_score() const { return max_score_; }

 private:
  using WordByWordModel::WordByWordModel;
  // Total score of a segmentation given as pieces joined by " ".
  float ScorePieces(std::string_view joined) const;

 public:
  // What a word cache needs to reuse a word's segmentation exactly; see
  // unigram_model.cc.
  struct WordStats {
    double margin;     // Smallest gap between compared candidates.
    double magnitude;  // Largest |candidate| seen.
    uint32_t chars;    // Characters in the word.
    // Every candidate was an integer (scores such as chinese_llama's,
    // all -10 or -100).
    bool integral;
    std::vector<double> scores;  // Score of each segment.
  };
  // Viterbi over text[begin, end) from a path score of `base` at `begin`,
  // as the reference computes it over the whole text. Appends the segments
  // to *out and returns the path score at `end`. With `stats`, also records
  // the decision margins.
  float Viterbi(std::string_view text, size_t begin, size_t end, float base, EncodeResult* out,
                WordStats* stats) const;
  // Viterbi() without stats, the segments handed to `consume` in parts
  // (each in *buffer, cleared in between; see Model::EncodeInParts()).
  float ViterbiInParts(std::string_view text, size_t begin, size_t end, float base,
                       EncodeResult* buffer, SegmentSink consume) const;
  // The largest |base| (exclusive) after which a word segmented from base
  // 0 with these stats segments the same way.
  static double MaxReusableBase(double margin, double magnitude, uint32_t chars);
  // A looser bound for a word whose candidates were all integers
  // (stats.integral), which then holds for an integral base only: with
  // every path score an integer of magnitude at most 2^24, floats add
  // exactly, so each comparison comes out as it does from base 0, ties
  // (margin 0) included. Returns MaxReusableBase() and false when that is
  // no looser.
  static double MaxReusableBaseIfIntegral(const WordStats& stats, bool* needs_integral_base);
  // A float holds every integer of magnitude up to this.
  static constexpr double kExactIntegers = 0x1p24;
  // Whether a cached word with that bound (and flag) is reusable after a
  // path score of `base`. A word that needs an integral base is also
  // reusable after a fractional one when every candidate stays exact
  // (ExactAfter()).
  static bool Reusable(double max_base, bool needs_integral_base, float base) {
    if (!(std::fabs(static_cast<double>(base)) < max_base)) return false;
    if (!needs_integral_base || IsIntegral(base)) return true;
    // Its bound is kExactIntegers - magnitude (MaxReusableBaseIfIntegral()).
    return ExactAfter(base, kExactIntegers - max_base);
  }
  // For a word whose candidates from base 0 are integers of magnitude at
  // most `magnitude`: whether each candidate from path score `base`
  // (|base| < 2^24) is exactly base + (its candidate from 0). It is when
  // |base| + magnitude stays below the next power of two above |base|:
  // every such sum is a multiple of base's ulp (at most 1) below that
  // power, so a float holds it. Then every comparison is the one made from
  // base 0 shifted by `base`, ties included, and the word segments as it
  // did there. (Across a power of two the sums round, and two paths with
  // the same integer sum can round differently: double rounding.)
  static bool ExactAfter(float base, double magnitude) {
    const double b = std::fabs(static_cast<double>(base));
    int exponent = 0;
    std::frexp(b, &exponent);  // b in [2^(exponent-1), 2^exponent).
    return b + magnitude < std::ldexp(1.0, exponent);
  }
  // Whether x is an integer (|x| < 2^51; others may be taken as one).
  static bool IsIntegral(double x) {
    constexpr double kShift = 0x1.8p52;  // Adding it rounds away the fraction.
    return (x + kShift) - kShift == x;
  }
  // The score Viterbi adds to the path for piece `id` (a NORMAL or
  // USER_DEFINED piece; a user-defined piece's is not a float).
  double PathScore(int id) const { return TrieScores()[id]; }
  // PathScore() of every id a segment can have, the unknown piece's
  // included (an unknown character's score), and +0.0 for the id
  // vocab().size(), one past the last.
  const double* SegmentScores() const { return TrieScores(); }
  // Whether a path's first step can score an integer (the unknown score or
  // a trie piece's is one); when not, no word's stats are `integral`.
  bool integral_steps() const { return integral_steps_; }
  // An unknown character's score: the worst piece's minus this.
  static constexpr float kUnkPenalty = 10.0f;

 private:
  void EncodeWords(std::string_view normalized, EncodeResult* out,
                   const SegmentSink* consume) const override;

  // Viterbi() without stats; a long range in parts, each followed by
  // HandOver(out, consume).
  float ViterbiParts(std::string_view text, size_t begin, size_t end, float base,
                     EncodeResult* out, const SegmentSink* consume) const;
  // Picks the ViterbiPass() for the model and the current restriction.
  template <bool kStats>
  float ViterbiImpl(std::string_view text, size_t begin, size_t end, float base,
                    EncodeResult* out, WordStats* stats) const;
  // The pass itself, specialised on what it must look at per candidate:
  // `stats` (kStats), whether a candidate is an integer (kIntegral:
  // integral_steps_) and whether a trie piece can be UNUSED (kUnused:
  // TrieScoreTable::any_unused).
  template <bool kStats, bool kIntegral, bool kUnused>
  float ViterbiPass(std::string_view text, size_t begin, size_t end, float base,
                    const double* trie_scores, EncodeResult* out, WordStats* stats) const;
  struct TrieScoreTable {
    uint64_t uid;
    std::vector<double> score;
    bool any_unused = false;  // Some score is kUnusedMark.
  };
  // An UNUSED piece's entry in the score table: a NaN whose payload no
  // float's conversion has (its low bits are set), so that a piece whose
  // own score is NaN stays a candidate, as in the reference.
  static constexpr uint64_t kUnusedMark = 0x7FF80000000D1E5Dull;
  static bool IsUnusedMark(double score) {
    uint64_t bits;
    std::memcpy(&bits, &score, sizeof(bits));
    return bits == kUnusedMark;
  }
  // The score of each trie piece as Viterbi adds it (kUnusedMark: UNUSED,
  // skipped), for the current vocabulary restriction.
  const TrieScoreTable& ScoreTable() const {
    const TrieScoreTable* t = trie_scores_.load(std::memory_order_acquire);
    if (t != nullptr && t->uid == uid()) return *t;
    return NewScoreTable();
  }
  const double* TrieScores() const { return ScoreTable().score.data(); }
  // ScoreTable() when the table is not there yet (or is another
  // restriction's): builds the current one.
  const TrieScoreTable& NewScoreTable() const;
  mutable std::atomic<const TrieScoreTable*> trie_scores_{nullptr};
  mutable std::mutex trie_scores_mu_;
  mutable std::vector<std::unique_ptr<TrieScoreTable>> trie_score_tables_;

  // Whether piece `id` is a trie key: NORMAL, USER_DEFINED or UNUSED,
  // without a NUL byte (worked out once, at load: IsKey()).
  static bool InTrie(const Vocabulary& v, int id);
  bool IsKey(int id) const { return ((keys_[id >> 6] >> (id & 63)) & 1) != 0; }
  // For segmenting `bytes` more bytes: the trie, or null while hash
  // lookups are still cheaper than building it (see Trie()) and while
  // another thread builds it.
  const FlatTrie* TrieFor(size_t bytes) const {
    if (trie_.done()) return trie_.built();
    return TrieBeforeBuilt(bytes);
  }
  // TrieFor() while the trie is not built.
  const FlatTrie* TrieBeforeBuilt(size_t bytes) const;
  void NoteInputSlow(size_t bytes) const;
  // Calls fn(length, id) for the trie keys that are prefixes of `s`,
  // shortest first, from `trie` or (null) by hash lookups of each prefix;
  // fn returns false to stop.
  template <typename Fn>
  void PrefixPieces(const FlatTrie* trie, std::string_view s, Fn fn) const {
    if (trie != nullptr) return trie->CommonPrefixSearch(s, fn);
    const size_t n = std::min(s.size(), max_key_bytes_);
    for (size_t len = 1; len <= n; ++len) {
      if (s[len - 1] == '\0') return;  // No key has one.
      const int id = vocab_.FindNormalPiece(s.substr(0, len));
      if (id >= 0 && !fn(len, id)) return;
    }
  }

  std::unique_ptr<FlatTrie> BuildTrie() const;
  BuildOnce<FlatTrie> trie_;
  size_t max_key_bytes_ = 0;
  size_t trie_key_bytes_ = 0;  // Total length of the trie's keys.
  std::vector<uint64_t> keys_;  // Bit id: InTrie(id).
  // Until the trie is built: the input announced (ExpectInput()) and
  // encoded (NoteInput()).
  mutable std::atomic<size_t> expected_bytes_{0};
  mutable std::atomic<size_t> noted_bytes_{0};
  WordCacheHolder cache_;  // Normalized word -> segmentation.
  // The path score of user-defined piece `id`: the reference's arithmetic,
  // in double from a float product.
  double UserDefinedScore(int id) const {
    return static_cast<double>(vocab_.IdToPiece(id).size() * max_score_) - 0.1;
  }
  float min_score_ = 0;
  float max_score_ = 0;
  bool integral_steps_ = true;  // See integral_steps().
};

}  // namespace sentencepiece

#endif  // SPM_SRC_ENCODER_UNIGRAM_MODEL_H_
