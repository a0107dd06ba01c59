// The raw-word encoder's (fast_ids.h) cached words and output sinks:
// how a word's output is laid out in the word cache (Word), how a word
// segmented on the spot turns into output units (Units), and where a
// line's output goes (IdSink: ids; TextSink: spm_encode's text). Only
// fast_ids.cc includes this.

#ifndef SPM_SRC_ENCODER_FAST_IDS_OUTPUT_H_
#define SPM_SRC_ENCODER_FAST_IDS_OUTPUT_H_

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "common/id_text.h"
#include "encoder/fast_ids.h"
#include "encoder/unigram_model.h"
#include "encoder/vocabulary.h"

namespace sentencepiece {

// A cached word, as stored in the cache: this header, then what its
// encoder hands out: the ids as text (Output::kIdText, each followed by a
// space; a word of many ids keeps them as uint16, kPackedIds) or the
// pieces' text (kPieces), padded to 8 bytes, or the ids (kIds, int32);
// then, for unigram, the largest path score before the word that keeps
// its segmentation (a float at most the exact bound) and
// what each segment adds to the path score: in a kPlain word the scores
// themselves, floats; in any other word the segments' ids, whose scores
// the model's table gives (UnigramModel::SegmentScores(): doubles, as a
// user-defined piece's is no float), 2 bytes each when every id fits
// (FastIdEncoder::narrow_lanes_), else 4. Each encoder stores only what it
// hands out. ~80 bytes a word under ALBERT; scores as doubles where one
// was no float took ~100 (new words have five segments on average, and a
// third of the mixed text's have user-defined punctuation).
struct FastIdEncoder::Word {
  uint16_t num_ids;
  // Text modes: the text's bytes (> 0 in a usable word with ids, but for
  // kPackedIds).
  uint16_t text_size;
  uint8_t usable;      // Normalizes on its own; no control pieces.
  // kStartsUnknown | kEndsUnknown | kSpaceEnd | kVanishes | kSafeEnd |
  // kPackedIds | kIntegralBase | kPlain.
  uint8_t edges;
  uint8_t num_scores;  // Unigram: at least 1 in a usable word with ids. BPE: 0.
  uint8_t first_text;  // kIdText: bytes of the first id's text, with its space.

  static constexpr uint8_t kStartsUnknown = 1;  // First segment: a mergeable unknown.
  static constexpr uint8_t kEndsUnknown = 2;    // Last segment: one.
  static constexpr uint8_t kSpaceEnd = 4;       // WordEnd::space_end.
  // Normalizes to nothing: no ids; the previous word's end and unknown
  // state carry over.
  static constexpr uint8_t kVanishes = 8;
  static constexpr uint8_t kSafeEnd = 16;  // WordEnd::safe_before.
  // kIdText: the ids are stored as 16-bit numbers (text_size 0), their
  // text made each time the word is handed out (TextSink::PutPackedIds()).
  static constexpr uint8_t kPackedIds = 32;
  // The max base holds for an integral base only
  // (UnigramModel::MaxReusableBaseIfIntegral()).
  static constexpr uint8_t kIntegralBase = 64;
  // The common case, told by one test: usable, does not vanish, and (for
  // unigram) 1 to kScoreLanes float scores whose bound needs no integral
  // base (HoldsAfterPlain(), AddPlainScores()).
  static constexpr uint8_t kPlain = 128;
  // More ids than this are not cached (their text's size must fit).
  static constexpr size_t kMaxIds = 4096;

  static size_t IdsBytes(size_t num_ids) { return (num_ids * 4 + 7) & ~size_t{7}; }
  static size_t PackedIdsBytes(size_t num_ids) { return (num_ids * 2 + 7) & ~size_t{7}; }
  // kIdText words of this many ids or more keep them as 16-bit numbers
  // (when every id fits) rather than as text: ~2 bytes an id against ~6.
  // Such words are mostly seen once (under llama2, 20 MB of English: 173k
  // of the 263k distinct words, 6.5 MB of the entries' text, and about
  // 133k later sightings, each paying for its ids' text then), and the
  // entries' memory is fresh memory, which costs its first touch (peak
  // RSS 38.1 -> 32.0 MB there; first runs after a pause 2-5% faster,
  // warm runs unchanged).
  static constexpr size_t kPackFromIds = 4;
  // The text is padded to 8 bytes. TextSink copies a short one with one
  // 16- or 32-byte move, which reads at most 8 bytes past the padding:
  // into the scores that follow, or into 8 bytes of padding when none do
  // (BPE), never past the value.
  static size_t TextBytes(size_t text_size) { return (text_size + 7) & ~size_t{7}; }
  // Lanes: at least kScoreLanes (see AddPlainScores() and
  // AddSegmentScores()), after the 4-byte bound; `Lane` is float for a
  // kPlain word's scores, uint16_t or uint32_t for segment ids.
  static constexpr size_t kScoreLanes = 3;
  template <typename Lane>
  static size_t LanesBytes(size_t num_scores) {
    if (num_scores == 0) return 0;
    return (4 + sizeof(Lane) * std::max(num_scores, kScoreLanes) + 7) & ~size_t{7};
  }

  const char* text() const { return reinterpret_cast<const char*>(this + 1); }
  const int32_t* ids() const { return reinterpret_cast<const int32_t*>(this + 1); }
  const uint16_t* packed_ids() const { return reinterpret_cast<const uint16_t*>(this + 1); }
  // Unigram, num_scores > 0: the segmentation holds after a path score
  // `base` if |base| < UnigramModel::MaxReusableBase() (stored as a float
  // at most that); then AddPlainScores() or AddSegmentScores() replays the
  // path score along it as the full path computes it.
  bool HoldsAfter(float base) const {
    return UnigramModel::Reusable(static_cast<double>(bound()), (edges & kIntegralBase) != 0,
                                  base);
  }
  // HoldsAfter() of a kPlain word: the float bound tested in float (the
  // same test: the conversion to double is exact).
  bool HoldsAfterPlain(float base) const { return std::fabs(base) < bound(); }
  // The path score after a kPlain word: its float lanes added (a lane past
  // the word's scores holds +0.0, which leaves the path score as it is: it
  // is never -0.0, starting at +0.0, and a sum is -0.0 only of two). A
  // branch or a loop on the number of pieces was mispredicted about every
  // other word. (A float sum: the float of the exact double sum of two
  // floats, as the full path computes it.)
  float AddPlainScores(float base) const {
    const float* scores = lanes<float>();
    for (size_t i = 0; i < kScoreLanes; ++i) base = scores[i] + base;
    return base;
  }
  // The path score after any other word: each segment's score from
  // `table` (UnigramModel::SegmentScores(), in which the id past the
  // vocabulary's, padding the lanes of a word of fewer than kScoreLanes
  // segments, scores +0.0) added in double and rounded to float, as the
  // full path adds it.
  template <typename Lane>
  float AddSegmentScores(const double* table, float base) const {
    const Lane* ids = lanes<Lane>();
    if (num_scores <= kScoreLanes) {
      for (size_t i = 0; i < kScoreLanes; ++i) {
        base = static_cast<float>(table[ids[i]] + static_cast<double>(base));
      }
      return base;
    }
    for (size_t i = 0; i < num_scores; ++i) {
      base = static_cast<float>(table[ids[i]] + static_cast<double>(base));
    }
    return base;
  }

 private:
  float bound() const {
    float b;
    std::memcpy(&b, after_output(), sizeof(b));
    return b;
  }
  template <typename Lane>
  const Lane* lanes() const {
    return reinterpret_cast<const Lane*>(after_output() + 4);
  }
  // Text modes store text (text_size > 0) or packed ids, kIds the ids.
  const char* after_output() const {
    return text() + (text_size > 0                  ? TextBytes(text_size)
                     : (edges & kPackedIds) != 0 ? PackedIdsBytes(num_ids)
                                                 : IdsBytes(num_ids));
  }
};

// Where a word segmented on the spot puts its output, unit by unit, as
// BuildTokens() makes tokens: ids, or (Output::kPieces) piece strings each
// followed by a space.
struct FastIdEncoder::Units {
  std::vector<int>* ids = nullptr;  // Either or both.
  std::string* text = nullptr;
  // Pieces: the first unit continued the line's previous piece (a run of
  // unknown pieces across words), so the space before it goes.
  bool join_previous = false;
  // If set, called with `ids` once it holds kDrainIds ids, to take them
  // (and clear it): a long word's ids are then not all held at once (a
  // 10 MB line's were 12 MB more fresh memory). Ids, once there, never
  // change (a unit continuing an unknown run adds none).
  static constexpr size_t kDrainIds = 4096;
  void (*drain)(void* context, std::vector<int>* ids) = nullptr;
  void* drain_context = nullptr;

  // Segment `piece` (with `id`, of the unknown piece or not), continuing
  // *prev_unknown (updated): byte pieces under byte fallback, and a run of
  // unknown pieces as one.
  void Segment(const Vocabulary& v, int id, bool unknown, std::string_view piece,
               bool* prev_unknown) {
    if (unknown && v.byte_fallback()) {
      for (char b : piece) {
        const auto byte = static_cast<unsigned char>(b);
        Unit(v.ByteToId(byte), ByteToPiece(byte));
      }
    } else if (unknown && *prev_unknown) {
      Join(piece);
    } else {
      Unit(id, piece);
    }
    *prev_unknown = unknown && !v.byte_fallback();
  }

 private:
  // A piece that stands alone.
  void Unit(int id, std::string_view piece) {
    if (ids != nullptr) {
      ids->push_back(id);
      if (drain != nullptr && ids->size() >= kDrainIds) drain(drain_context, ids);
    }
    if (text == nullptr) return;
    text->append(piece.data(), piece.size());
    text->push_back(' ');
  }
  // An unknown piece that continues the one before (one piece, one id).
  void Join(std::string_view piece) {
    if (text == nullptr) return;
    if (text->empty()) {
      join_previous = true;
    } else {
      text->pop_back();
    }
    text->append(piece.data(), piece.size());
    text->push_back(' ');
  }
};

// Where the output of a line goes: ids in a vector (Encode()) or text
// (EncodeText(): ids' or pieces'). Cached() takes a cached word (whose
// first unit continues the line's last with `join_first`: an unknown
// piece after one); a word segmented on the spot goes to Uncached(), then
// Flush().
class FastIdEncoder::IdSink {
 public:
  explicit IdSink(std::vector<int>* ids) : ids_(ids) { units_.ids = ids; }
  void Cached(const Word& w, bool join_first) {
    ids_->insert(ids_->end(), w.ids() + (join_first ? 1 : 0), w.ids() + w.num_ids);
  }
  Units* Uncached() { return &units_; }
  void Flush() {}
  // (As TextSink's: a line's ids need no ending, and the ids of a line
  // the fast path refused are replaced by the full path's.)
  void Finish() {}
  void Abandon() {}

 private:
  std::vector<int>* ids_;
  Units units_;
};

class FastIdEncoder::TextSink {
 public:
  // Appends to *out (ids' text, or pieces' with `pieces`); Finish() ends
  // the line, Abandon() restores *out. The ids' text comes from `table`
  // if not null.
  TextSink(std::string* out, size_t line_size, bool pieces, const IdTextTable* table)
      : out_(out), start_(out->size()), pieces_(pieces), table_(table) {
    Room(line_size + kSlack);
  }

  void Cached(const Word& w, bool join_first) {
    const char* text = w.text();
    size_t n = w.text_size;
    if (n == 0) return PutPackedIds(w, join_first);  // (A usable word has ids.)
    Room(n);
    if (join_first) {
      if (!pieces_) {  // The first id is the previous word's last.
        std::memcpy(p_, text + w.first_text, n - w.first_text);
        p_ += n - w.first_text;
        return;
      }
      --p_;  // The first piece continues the previous one: no space between.
    }
    // Whole 16-byte blocks of the stored text (Word::TextBytes()), into
    // the slack Room() keeps.
    if (n <= 16) {
      std::memcpy(p_, text, 16);
    } else if (n <= 32) {
      std::memcpy(p_, text, 32);
    } else {
      std::memcpy(p_, text, n);
    }
    p_ += n;
  }
  Units* Uncached() {
    units_ = Units{};
    if (pieces_) {
      uncached_text_.clear();
      units_.text = &uncached_text_;
    } else {
      uncached_.clear();
      units_.ids = &uncached_;
      units_.drain = [](void* sink, std::vector<int>* ids) {
        static_cast<TextSink*>(sink)->PutIds(ids);
      };
      units_.drain_context = this;
    }
    return &units_;
  }
  void Flush() {
    if (pieces_) {
      if (units_.join_previous) --p_;
      Room(uncached_text_.size());
      std::memcpy(p_, uncached_text_.data(), uncached_text_.size());
      p_ += uncached_text_.size();
      return;
    }
    PutIds(&uncached_);
  }
  // The line's newline, in place of the last id's space.
  void Finish() {
    char* const data = out_->data();
    if (p_ > data + start_) {
      p_[-1] = '\n';
    } else {
      *p_++ = '\n';
    }
    out_->resize(static_cast<size_t>(p_ - data));
  }
  void Abandon() { out_->resize(start_); }

 private:
  // Room for n bytes at p_ and kSlack more (fixed-size moves reach past
  // what they keep). The string is sized, not reserved, ahead: its unused
  // tail is cut by Finish().
  static constexpr size_t kSlack = 64;
  // The text of *ids, each followed by a space; clears *ids.
  void PutIds(std::vector<int>* ids) {
    PutIdsText(ids->data(), ids->size());
    ids->clear();
  }
  // The text of a kPackedIds word's ids (its first left out with
  // `join_first`: it continues the previous word's last).
  __attribute__((noinline)) void PutPackedIds(const Word& w, bool join_first) {
    const size_t skip = join_first ? 1 : 0;
    PutIdsText(w.packed_ids() + skip, w.num_ids - skip);
  }
  // The text of ids[0, n), each followed by a space.
  template <typename Id>
  void PutIdsText(const Id* ids, size_t n) {
    // At most 11 bytes an id with its space; a store reaches
    // IdText::kMaxStore (8 with the table) from its id's start, within the
    // slack.
    static_assert(kSlack >= IdText::kMaxStore, "a store's reach fits the slack");
    Room(11 * n);
    if (table_ != nullptr) {
      for (size_t i = 0; i < n; ++i) p_ = table_->PutWithSpace(p_, static_cast<uint32_t>(ids[i]));
    } else {
      const IdText& digits = IdText::Shared();
      for (size_t i = 0; i < n; ++i) p_ = digits.PutWithSpace(p_, static_cast<uint32_t>(ids[i]));
    }
  }
  void Room(size_t n) {
    if (static_cast<size_t>(limit_ - p_) >= n + kSlack) return;
    // Doubling the line's part (the string holds a whole block).
    const size_t used = p_ == nullptr ? start_ : static_cast<size_t>(p_ - out_->data());
    out_->resize(used + std::max(n + kSlack, used - start_) + 256);
    p_ = out_->data() + used;
    limit_ = out_->data() + out_->size();
  }

  std::string* out_;
  size_t start_;
  bool pieces_;
  const IdTextTable* table_;  // Null: IdText's digits.
  char* p_ = nullptr;
  char* limit_ = nullptr;
  Units units_;
  inline static thread_local std::vector<int> uncached_;
  inline static thread_local std::string uncached_text_;
};

}  // namespace sentencepiece

#endif  // SPM_SRC_ENCODER_FAST_IDS_OUTPUT_H_
