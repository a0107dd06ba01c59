// A shortcut from text straight to ids for the most common kind of line.
//
// Most lines are words separated by spaces, and no normalization rule
// reaches across a space. For such a line the normalized text is
// "▁n(w1)▁n(w2)...", n(w) being each word normalized on its own, so each
// word's ids can be cached under its raw bytes and the normalizer and the
// segmenter skipped entirely for words seen before. Every condition that
// makes this exact is checked, per model at load and per line at encode
// time; any line that does not qualify returns false and takes the full
// path:
//   - the model escapes whitespace, is in prefix mode, and its type is
//     unigram or BPE (without UNUSED pieces: BPE re-splits them by the
//     merge history of the whole line);
//   - a word is cached with the number of `▁`s before it, its lead (one
//     as a rule; none for the first word of a line without a dummy
//     prefix; without whitespace removal, as many as the spaces before it,
//     and trailing spaces are a unit of their own: see EncodeLine());
//   - with whitespace removal, leading, trailing and repeated spaces go,
//     or read as one;
//   - each space normalizes on its own, to itself
//     (Normalizer::SpaceIsolated), and each word's normalization, read as
//     inside the line, is out of reach of whitespace handling at its ends
//     (Normalizer::AppendNormalizedWord: not empty, no trailing `▁` but a
//     space that stands for the next separator, not in the last word);
//   - long words and runs of unspaced scripts are segmented on the spot,
//     not cached;
//   - no piece can cross the edge before each `▁` (WordSplitter), judged
//     by the previous word's last byte after normalization;
//   - unigram: every Viterbi decision in the word had a margin larger than
//     the rounding the reference's whole-line pass could introduce (see
//     unigram_model.cc), with the path score carried exactly.

#ifndef SPM_SRC_ENCODER_FAST_IDS_H_
#define SPM_SRC_ENCODER_FAST_IDS_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/functional/function_ref.h"
#include "common/build_once.h"
#include "common/id_text.h"
#include "encoder/lone_chars.h"
#include "encoder/model.h"
#include "encoder/model_tables.h"
#include "encoder/unigram_model.h"
#include "encoder/word_cache.h"
#include "normalizer/normalizer.h"

namespace sentencepiece {

class FastIdEncoder {
 public:
  // What an encoder hands out, and keeps with each cached word: ids
  // (Encode()), or text as spm_encode prints it (EncodeText()): the ids'
  // or the pieces'.
  enum class Output { kIds, kIdText, kPieces };
  // `normalizer` and `model` must outlive this object.
  FastIdEncoder(const Normalizer& normalizer, const Model& model, const ModelProto& proto,
                Output output);

  // Output::kIds: appends the ids of `line` to *ids, as the full pipeline
  // would produce them before extra options, and returns true; or returns
  // false (with *ids unspecified) when the line does not qualify (always,
  // with another Output).
  bool Encode(std::string_view line, std::vector<int>* ids) const;
  // About `bytes` of text are coming: the word cache is sized for them
  // (WordCacheHolder::ExpectInput()) when it is made, on first use.
  void ExpectInput(size_t bytes) const { cache_.ExpectInput(bytes); }
  // Output::kIdText or kPieces: Encode(), the ids (or pieces) appended to
  // *out as spm_encode prints them ("12 345", "▁he llo", and a newline),
  // from text cached with each word; false with *out as it was when the
  // line does not qualify (always, with kIds).
  bool EncodeText(std::string_view line, std::string* out) const;
  // Encode() and EncodeText() of lines[0, n) in turn: line i's ids
  // appended to ids[i], or each line's text to *out after the last's; but
  // for a line that does not qualify refused(i) is called instead, to do
  // the same by the full path (and return false to stop; this then
  // returns false). Faster than a call a line: each line's words are
  // found while the line before is encoded, and their cache lookups
  // started before its last words are done. (With the other Output,
  // refused() for every line.)
  bool EncodeLines(const std::string_view* lines, size_t n, std::vector<int>* ids,
                   absl::FunctionRef<bool(size_t)> refused) const;
  bool EncodeTextLines(const std::string_view* lines, size_t n, std::string* out,
                       absl::FunctionRef<bool(size_t)> refused) const;

 private:
  struct Word;
  struct Units;
  class IdSink;
  class TextSink;
  struct Span;
  struct LineState;
  // refused(i) for i in [0, n) while it returns true; false if it did not.
  static bool RefuseAll(size_t n, absl::FunctionRef<bool(size_t)> refused);
  // EncodeLines() and EncodeTextLines() with line i's output going to
  // make_sink(i) (an IdSink or a TextSink), *state the run's.
  template <typename MakeSink>
  bool EncodeRun(const std::string_view* lines, size_t n, LineState* state, MakeSink make_sink,
                 absl::FunctionRef<bool(size_t)> refused) const;
  // Encode() with the ids handed to `sink` (IdSink or TextSink), the
  // line's words scanned ahead in *state if they are there; and `next`'s
  // scanned there if it is not empty (the line to come).
  template <typename Sink>
  bool EncodeLine(std::string_view line, std::string_view next, LineState* state,
                  Sink* sink) const;
  // ScanLine()'s answer for a line that does not qualify.
  static constexpr size_t kRefused = ~size_t{0};
  // Puts the words of `line` (and a unit for trailing spaces) in
  // (*spans)[at, at + n), growing *spans as needed, and returns n; or
  // kRefused if the line cannot take the fast path (something found
  // without segmenting). Hints the slots of its first words.
  size_t ScanLine(std::string_view line, const WordCache::Hints& hints, std::vector<Span>* spans,
                  size_t at) const;
  // Hands the output of `line`, whose words are span[0, num_spans), to
  // `sink`; false if the line turns out not to qualify. Lookups are
  // hinted ahead up to span[horizon], whose hash is 0 (the next line's
  // words may lie between); `warm`: the first words' entries were hinted
  // already.
  template <typename Sink>
  bool EmitLine(std::string_view line, const Span* span, size_t num_spans, size_t horizon,
                bool warm, WordCache* cache, const WordCache::Hints& hints, Sink* sink) const;
  // How a normalized word ends.
  struct WordEnd {
    // Whether the edge before the next word's `▁` is safe
    // (WordSplitter::SafeBefore() of the normalized word: a rule can make
    // its end differ from the raw word's).
    bool safe_before = true;
    // It ended with a space that stands for the next separator
    // (Normalizer::AppendNormalizedWord()): unusable at the end of a line.
    bool space_end = false;
  };
  // Builds the cache value of `word` (see fast_ids_output.h) at the start
  // of *value, which it may grow but never shrinks; returns its size in
  // 8-byte words.
  // `lead`: the `▁`s before the word (see NormalizeWord()).
  size_t Analyze(std::string_view word, size_t lead, std::vector<uint64_t>* value) const;
  // Analyze()'s value for unigram ids or ids' text in one pass over the segments
  // (their `scores`, the reuse bound and whether it needs an integral
  // base): the same bytes as the general way, for words of up to
  // kFusedSegments segments without control pieces, in a model without
  // byte fallback; else 0, nothing written that the general way reads.
  // (The general way's four loops over a word's pieces each ended where
  // the predictor could not tell.)
  size_t AnalyzeIds(const EncodeResult& segments, const double* scores, double max_base,
                    bool integral_base, const WordEnd& end, std::vector<uint64_t>* value) const;
  static constexpr size_t kFusedSegments = 16;
  // `lead` times "▁", then the word normalized on its own
  // (Normalizer::AppendNormalizedWord), into *text, and how the text ends
  // in *end. A word that normalizes to nothing vanishes (with whitespace
  // removal) if its lead is 1: *text is then "▁" alone, *end left as it
  // is; with lead 0 (the first word of a line without a dummy prefix) it
  // is left to the full path (the next word's `▁` would go too). An empty
  // word is the trailing spaces of a line without whitespace removal:
  // *text is its `▁`s. False if the word cannot be normalized on its own.
  bool NormalizeWord(std::string_view word, size_t lead, std::string* text, WordEnd* end) const;
  // NormalizeWord(), then segmented into *segments (none when the word
  // vanishes): unigram from path score *base (updated), recording the
  // decision margins in *stats when given. False, with nothing segmented,
  // if the word cannot be normalized on its own.
  bool SegmentWord(std::string_view word, size_t lead, float* base,
                   UnigramModel::WordStats* stats, EncodeResult* segments, WordEnd* end) const;
  // A normalized text segmented by the model, handed to `consume` in parts
  // (unigram from path score *base, updated; see Model::EncodeInParts()).
  void SegmentInParts(std::string_view text, float* base, EncodeResult* buffer,
                      Model::SegmentSink consume) const;
  // The output of normalized text `text` appended to *out (see
  // AppendUnits()), lone characters from lone_; false if a control piece
  // appears.
  bool SegmentText(std::string_view text, float* base, Units* out, bool* prev_unknown) const;
  // The segment of lone character `c` (its UTF-8) segmented alone; none if
  // it must take the general way.
  std::optional<LoneChars::Segment> LoneSegment(std::string_view c) const;
  // Appends the output of `segments` to *out as the full path builds it
  // (byte fallback, one unit for a run of unknowns, continuing
  // *prev_unknown, updated); false if a control piece appears.
  bool AppendUnits(const EncodeResult& segments, Units* out, bool* prev_unknown) const;
  // The bytes a cached word's bound and lanes take: float scores for a
  // kPlain word (`plain`), else segment ids (see Word).
  size_t LanesBytes(bool plain, size_t num_scores) const;
  // Whether a kIdText word of `num_ids` ids keeps them as 16-bit numbers
  // (Word::kPackedIds, Word::kPackFromIds): every id of the vocabulary fits.
  bool PacksIds(size_t num_ids) const;
  // NormalizeWord() then SegmentText(), for a word used once (not cached).
  bool UncachedWord(std::string_view word, size_t lead, float* base, Units* out,
                    bool* prev_unknown, WordEnd* end) const;

  const Normalizer& normalizer_;
  const Model& model_;
  const UnigramModel* unigram_;        // nullptr for BPE.
  const class BpeModel* bpe_;          // nullptr for unigram.
  Output output_;
  bool enabled_ = false;
  size_t dummy_ = 1;  // The dummy prefix's `▁`s: 1, or 0 without one.
  // Cached unigram words keep segment ids in 16 bits (else 32): see Word.
  bool narrow_lanes_ = true;
  WordCacheHolder cache_;  // Raw word -> Word.
  ModelTables<LoneChars> lone_;
  // kIdText: every id's text (none past IdTextTable::kMaxSize ids), built
  // once Model::kLargeInputBytes of text have come through EncodeText()
  // and EncodeTextLines() (announced as `lines[0, num_lines)`): a table of a
  // 30,000-piece vocabulary costs about what computing the digits costs
  // over that much text, and was a tenth of a one-line run's time. Null
  // until then, without one, and while another thread builds it: the
  // digits are then computed (the same text).
  BuildOnce<IdTextTable> id_text_;
  const IdTextTable* IdTextTableIfFree(size_t num_lines = 0,
                                       const std::string_view* lines = nullptr) const;
};

}  // namespace sentencepiece

#endif  // SPM_SRC_ENCODER_FAST_IDS_H_
