// Byte-pair-encoding segmentation (Sennrich et al. 2016), as SentencePiece
// applies it: merges are not a ranked list but the vocabulary itself.
//
// Start from characters (user-defined symbols are single frozen symbols);
// repeatedly merge the adjacent pair whose concatenation is a piece with the
// highest score, the leftmost pair on ties, until no pair forms a piece.
// Merges that produce an UNUSED piece are undone at the end: such a piece is
// split back, recursively, into the two symbols it was made from.
//
// With `dropout` > 0 each merge is skipped with that probability
// (BPE-dropout, Provilkov et al. 2019, https://arxiv.org/abs/1910.13267).

#ifndef SPM_SRC_ENCODER_BPE_MODEL_H_
#define SPM_SRC_ENCODER_BPE_MODEL_H_

#include <atomic>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "common/utf8.h"
#include "encoder/model.h"
#include "encoder/pair_map.h"

namespace sentencepiece {

class BpeModel : public WordByWordModel {
 public:
  static absl::StatusOr<std::unique_ptr<Model>> Create(const ModelProto& proto,
                                                       Vocabulary vocab);
  // Encode() skipping each merge with probability `dropout` (>= 1: no
  // merges at all), drawn from the thread's random generator.
  void SampleEncode(std::string_view normalized, float dropout, EncodeResult* out) const;
  // Words (short texts) a thread encodes before it screens merges with a
  // PieceFilter, built on first use: the build (~0.3 ms) pays only over
  // many words, and a model load with a short first encode never waits
  // for it.
  static constexpr uint32_t kWordsBeforePieceFilter = 2048;
  // SampleEncode(text, 0) of one word (no word cache), the segments handed
  // to `consume` in parts (each in *buffer, cleared in between; see
  // Model::EncodeInParts()).
  void EncodeWordInParts(std::string_view text, EncodeResult* buffer, SegmentSink consume) const;
  // SampleEncode(word, 0) into *out (cleared first) for a word not in the
  // word cache. Words differ far more often than their parts: cut where no
  // merge can cross, a new word is mostly parts seen before ("word" in
  // "(word),"; numbers, digit by digit under llama2), so the parts are
  // looked up in and stored to the word cache (a part segments alone as a
  // word would), and only new parts are merged.
  void EncodeNewWord(std::string_view word, EncodeResult* out) const;
  // Whether the per-character tables and the word splitter are built. They
  // cost ~0.45 ms for a 32k vocabulary, as much as the rest of a load, so
  // they are built on first need (EnsureTables()): a model's first texts
  // (kColdTexts texts of at most kColdBytes) are merged whole without
  // them, from the vocabulary's piece table (a 140-character sentence
  // ~20 us, 1 KB ~130 us, against ~0.5 ms for the tables once).
  bool tables_ready() const { return tables_ready_.load(std::memory_order_acquire); }
  static constexpr uint32_t kColdTexts = 16;
  static constexpr size_t kColdBytes = 1024;
  // An input that would merge kTablesAtOnceBytes or more without them (at
  // ~1,000 instructions a byte, against ~5.6M for llama2's tables) builds
  // the tables now: its first texts take the fast paths too.
  void ExpectInput(size_t bytes) const override {
    if (ExpectInputBuilds(bytes)) EnsureTables();
  }
  bool ExpectInputBuilds(size_t bytes) const override {
    return bytes >= kTablesAtOnceBytes && !tables_ready();
  }
  // Sized for a quarter of the input: in spm_encode's fast path (a
  // raw-word cache in front) this cache holds the parts of new words
  // (EncodeNewWord()), a quarter as many as the raw-word cache's words (20
  // MB of English: 60k against 240k); sized as that one, its lookups
  // spread over four times the memory (llama2, 20 MB: English -2.5%,
  // mixed -5% against the full size).
  void SizeCachesFor(size_t bytes) const override { cache_.ExpectInput(bytes / 4); }
  static constexpr size_t kTablesAtOnceBytes = size_t{4} << 10;
  // Whether this model has encoded kWordsBeforePieceFilter short texts
  // (from any thread) and so screens merges with its piece filter.
  bool warm() const {
    return words_seen_.load(std::memory_order_relaxed) >= kWordsBeforePieceFilter;
  }

 private:
  // Each appends the segmentation of `text` to *out.
  // A short text (at most kMaxShortSymbols initial symbols), without a heap
  // or a linked list; false, with *out untouched, when the text is longer
  // or the vocabulary has UNUSED pieces. See bpe_short_word.cc.
  static constexpr int kMaxShortSymbols = 48;
  bool EncodeShort(std::string_view text, EncodeResult* out) const {
    return EncodeShortImpl<true>(text, out);
  }
  // kTables false: the same without the tables EnsureTables() builds
  // (symbols and merges looked up in the piece table, no filters).
  template <bool kTables>
  bool EncodeShortImpl(std::string_view text, EncodeResult* out) const;
  // Builds the tables tables_ready() tells of, once.
  void EnsureTables() const {
    if (!tables_ready()) std::call_once(tables_once_, [this] { BuildTables(); });
  }
  void BuildTables() const;
  // Builds small_index_ and small_pairs_ (part of BuildTables()).
  void BuildSmallPairs() const;
  // A long text, cut where no merge can cross (CharAdjacency) into parts
  // segmented on their own; false, with *out untouched, when the
  // vocabulary does not allow it (UNUSED pieces, malformed pieces).
  // With `consume`, calls HandOver(out, consume) after each part.
  bool EncodeLong(std::string_view text, EncodeResult* out, const SegmentSink* consume) const;
  // Calls part_fn(part, one_char) for each part of `text`, in order, cut
  // where no merge can cross (one part if nowhere); one_char: the part is a
  // single symbol that is a whole character (see AppendChar()).
  template <typename Fn>
  void ForEachPart(std::string_view text, const CharAdjacency& adjacency, Fn&& part_fn) const;
  // ForEachPart() for a text of at most 64 bytes whose symbols are all
  // ASCII bytes and `▁`s (most words), when no user-defined symbol starts
  // with one: the cuts found in one pass over the bytes, from the
  // adjacency's small table. False, with part_fn not called, for any
  // other text.
  template <typename Fn>
  bool ForEachAsciiPart(std::string_view text, const CharAdjacency& adjacency,
                        Fn& part_fn) const;
  // Appends a part that is a single symbol and a whole character: it merges
  // with nothing, so it is its own piece (what EncodeShort() gives for it,
  // without the setup; most parts of unspaced CJK text are such).
  void AppendChar(std::string_view c, EncodeResult* out) const {
    AppendPiece(out, c, SymbolOutputId(c, CharId(c)));
  }
  // Appends a word's cached segments (pieces inside `word`).
  static void AppendCached(const WordCache::Entry& entry, std::string_view word,
                           EncodeResult* out);
  // Stores `segments` (pieces inside `word`) as word's value, unless the
  // word is too long to cache or the cache is full.
  static void Store(WordCache* cache, std::string_view word, uint64_t hash,
                    const EncodeResult& segments);
  // Any text, with merges in a heap over a linked list of symbols;
  // BPE-dropout when `dropout` > 0.
  void HeapEncode(std::string_view text, float dropout, EncodeResult* out) const {
    HeapEncodeImpl<true>(text, dropout, out);
  }
  // kTables false: without the tables, as EncodeShortImpl<false>().
  template <bool kTables>
  void HeapEncodeImpl(std::string_view text, float dropout, EncodeResult* out) const;
  void EncodeWords(std::string_view normalized, EncodeResult* out,
                   const SegmentSink* consume) const override;

  using WordByWordModel::WordByWordModel;
  // Id among the non-reserved pieces of a single character, or -1.
  int CharId(std::string_view c) const {
    if (c.size() == 1 && static_cast<unsigned char>(c[0]) < 128) {
      return ascii_ids_[static_cast<unsigned char>(c[0])];
    }
    if (c.size() == 2) {
      const int index = utf8::TwoByteIndex(c);
      if (index >= 0) return two_byte_ids_[index] - 1;
    }
    if (c.size() == 3 && three_byte_ids_ != nullptr) {
      const int index = utf8::ThreeByteIndex(c);
      if (index >= 0) return three_byte_ids_[index] - 1;
    }
    return CharIdSlow(c);
  }
  int CharIdSlow(std::string_view c) const;
  // False if `merged` (two symbols side by side) is certainly no piece:
  // it starts with no longer piece's first character, or `filter` (when
  // given) knows it is none. Cheaper than MergedId(), which needs memory
  // that is seldom in the CPU's caches. A merge that starts with ASCII
  // skips the filter: in text of Latin script most such pairs are pieces,
  // and the pair cache, which remembers a "no" too, answers them without
  // hashing the string (English under llama2: -2% instructions).
  bool MayMerge(std::string_view merged, const PieceFilter* filter) const {
    return merge_starts_.MayBeginLonger(merged) &&
           (filter == nullptr || static_cast<unsigned char>(merged[0]) < 0x80 ||
            filter->MayContain(merged));
  }
  // The piece filter once this model has encoded kWordsBeforePieceFilter
  // words; null before, and while another thread builds it (the merges
  // then look pieces up without it and without the pair cache, exactly).
  const PieceFilter* WarmPieceFilter() const {
    if (!warm()) {
      words_seen_.fetch_add(1, std::memory_order_relaxed);
      return nullptr;
    }
    return piece_filter_.TryGet([this] { return BuildPieceFilter(); });
  }
  std::unique_ptr<PieceFilter> BuildPieceFilter() const;
  // Id of the piece left + right (`merged`, concatenated in the text), or
  // -1. Through the pair cache if `use_pairs`: callers use it once warm
  // (WarmPieceFilter() non-null), so a first short encode does not touch
  // (fault in) a page of the cache per pair. (Both merge loops screen each
  // pair with MayMerge() first, so its first-character test is not made
  // again here; without it the answer is the same, found slower.)
  int MergedId(int left_id, int right_id, std::string_view merged, bool use_pairs) const {
    if (left_id < 0 || right_id < 0 || pairs_ == nullptr || !use_pairs) {
      return vocab_.FindNormalPiece(merged);  // A character that is no piece.
    }
    // Two single ASCII characters or `▁`s: from the small table.
    const unsigned left_small = small_index_[left_id];
    const unsigned right_small = small_index_[right_id];
    if ((left_small | right_small) < kSmallSymbols) {
      return small_pairs_[left_small * kSmallSymbols + right_small];
    }
    int id;
    if (!pairs_->Find(left_id, right_id, &id)) {
      id = vocab_.FindNormalPiece(merged);
      pairs_->Store(left_id, right_id, id);
    }
    return id;
  }
  // The two lookups both merge loops make, with the tables (kTables) or,
  // before they are built, from the piece table alone (same answers):
  // InitialId() is the non-reserved id of an initial symbol (a user-defined
  // piece when `frozen`, else at most one character, which CharId() finds
  // faster), MergeId() the piece two adjacent symbols merge into, or -1
  // (`filter`, when warm, screens candidates first).
  template <bool kTables>
  int InitialId(std::string_view symbol, bool frozen) const {
    return frozen || !kTables ? vocab_.FindNormalPiece(symbol) : CharId(symbol);
  }
  template <bool kTables>
  bool MayMergeIf(std::string_view merged, const PieceFilter* filter) const {
    return !kTables || MayMerge(merged, filter);
  }
  template <bool kTables>
  int MergeId(int left_id, int right_id, std::string_view merged, bool use_pairs) const {
    return kTables ? MergedId(left_id, right_id, merged, use_pairs)
                   : vocab_.FindNormalPiece(merged);
  }
  // The id to output for non-reserved piece `id` (a reserved piece with the
  // same string wins, as in PieceToId()).
  int OutputId(int id) const { return output_id_.empty() ? id : output_id_[id]; }
  // The id to output for a final symbol `piece` whose non-reserved id is
  // `id` (-1: none, a character no piece has: PieceToId() gives unk).
  int SymbolOutputId(std::string_view piece, int id) const {
    return id >= 0 ? OutputId(id) : vocab_.PieceToId(piece);
  }

  // Short encodes of this model, by any thread, counted up to about
  // kWordsBeforePieceFilter (see WarmPieceFilter()). Per model, not per
  // thread: a thread that has encoded with one model must not make a
  // model loaded after it build its filters on its first word. Written
  // only until warm, then only read.
  mutable std::atomic<uint32_t> words_seen_{0};
  std::vector<int> output_id_;  // Empty: every id outputs itself.
  // Texts encoded without the tables, counted up to about kColdTexts.
  mutable std::atomic<uint32_t> cold_texts_{0};
  // The tables (and the base class's splitter_), written once by
  // BuildTables() and read only after EnsureTables() or tables_ready().
  mutable std::once_flag tables_once_;
  mutable std::atomic<bool> tables_ready_{false};
  mutable absl::flat_hash_map<uint64_t, int> char_ids_;  // Packed character -> id.
  // No piece a merge can make scores NaN or -inf: EncodeShortImpl() with
  // the tables can mark a pair that does not merge with the score -inf
  // (the load itself does not read every score).
  mutable bool scores_above_minus_inf_ = true;
  // (left id, right id) -> merged id, filled as pairs are met; null when
  // the vocabulary is too large for it.
  std::unique_ptr<PairCache> pairs_;
  mutable MergeStartFilter merge_starts_;  // Of the non-reserved pieces.
  // Of the non-reserved pieces, built on first need (WarmPieceFilter()).
  BuildOnce<PieceFilter> piece_filter_;
  mutable int ascii_ids_[128];   // CharId() of ASCII characters.
  // The pieces two small symbols (single ASCII characters and `▁`, most
  // initial symbols of most words) merge into, by their small indices (an
  // ASCII byte as itself, `▁` as 128), -1 for none: a word's first pair
  // lookups from 66 KB instead of the pair cache's 2 MB. small_index_ maps
  // each id to its small index, or kNotSmall (256); built with the tables.
  static constexpr unsigned kSmallSymbols = 129;
  static constexpr uint16_t kNotSmall = 256;
  mutable std::vector<uint16_t> small_index_;
  mutable std::vector<int32_t> small_pairs_;
  // CharId() + 1 of two-byte characters by utf8::TwoByteIndex() (0: no
  // piece); Cyrillic, Greek, Hebrew and
  // Arabic text looks up every character (by the map, ~2% of a Russian
  // text's time under llama2).
  mutable int32_t two_byte_ids_[1 << 11] = {};
  // No user-defined symbol starts with an ASCII byte or with `▁`'s first
  // byte (ForEachAsciiPart() applies).
  mutable bool ascii_parts_ = false;
  // CharId() + 1 of three-byte characters by utf8::ThreeByteIndex() (0: no
  // piece); CJK text looks up every character.
  struct Free {
    void operator()(int32_t* p) const { std::free(p); }
  };
  mutable std::unique_ptr<int32_t[], Free> three_byte_ids_;
  WordCacheHolder cache_;  // Normalized word -> segmentation.
};

}  // namespace sentencepiece

#endif  // SPM_SRC_ENCODER_BPE_MODEL_H_
