// What each lone character of a model segments to, looked up per character.
//
// A lone character (CharAdjacency::Lone(): in no piece of two or more
// characters) is always a segment of its own, whatever surrounds it: its
// own piece, or the unknown piece. Under most vocabularies nearly every
// character of Chinese or Japanese text is lone (llama2, ALBERT, XLNet:
// 99-100%), so a run of unspaced script segments as a table lookup per
// character, with the text between lone characters left to the model.
//
// Entries are filled in on first sight by whichever thread meets the
// character first, from a function that segments the character alone;
// they depend only on the model, so racing writers store the same value.

#ifndef SPM_SRC_ENCODER_LONE_CHARS_H_
#define SPM_SRC_ENCODER_LONE_CHARS_H_

#include <atomic>
#include <cstdint>
#include <cstring>
#include <new>
#include <optional>
#include <string_view>

#include "common/zero_pages.h"

namespace sentencepiece {

class LoneChars {
 public:
  // A lone character's segment: the id the model gives it alone (the
  // unknown piece's for a character no piece has), and for unigram the
  // score its segment adds to the path score: `score` when that is exactly
  // a float, else (`wide`: a user-defined piece, such as ALBERT's
  // punctuation) the model's own double (UnigramModel::PathScore()).
  struct Segment {
    int32_t id = 0;
    bool unknown = false;
    bool wide = false;
    float score = 0.0f;
  };
  // Largest id an entry holds.
  static constexpr int32_t kMaxId = (int32_t{1} << 29) - 2;

  // `uid`: the model (and vocabulary) the entries belong to.
  // Throws std::bad_alloc if the table cannot be had.
  explicit LoneChars(uint64_t uid)
      : uid_(uid), entries_(Entries::TryAllocateDense(0x10000 + 1024)) {
    if (!entries_) throw std::bad_alloc();
  }
  uint64_t uid() const { return uid_; }

  // The segment of code point `c` (< U+10000, whose UTF-8 is `text`) into
  // *segment, computed by `compute(text)` (an std::optional<Segment>; none
  // when the character must go the general way) on first sight; false if
  // there is none.
  template <typename Compute>
  bool Get(uint32_t c, std::string_view text, Compute&& compute, Segment* segment) const {
    uint64_t e = entries_[c].load(std::memory_order_relaxed);
    if (e == 0) {
      e = Pack(compute(text));
      entries_[c].store(e, std::memory_order_relaxed);
    }
    if (e == kNone) return false;
    const auto low = static_cast<uint32_t>(e);
    const auto high = static_cast<uint32_t>(e >> 32);
    segment->id = static_cast<int32_t>(low & kIdMask);
    segment->unknown = (low & kUnknown) != 0;
    segment->wide = (low & kWide) != 0;
    std::memcpy(&segment->score, &high, sizeof(float));
    return true;
  }

  // A run's characters one test each (SegmentText()'s unknown runs): a
  // bitmap of three-byte lone characters whose segment is unknown with the
  // score of the first such character marked (any other is left to
  // PeekUnknown()). MarkUnknown3() is for a lone, well-formed three-byte
  // character (code point `c` >= U+0800) whose segment is `segment`.
  void MarkUnknown3(uint32_t c, const Segment& segment) const {
    if (!segment.unknown || segment.wide) return;
    uint32_t bits;
    std::memcpy(&bits, &segment.score, sizeof(bits));
    // The score: the first marked character's (0: none yet; a score of
    // +0.0 is not marked). Read first: once it is set, a mark costs no
    // locked instruction on a line every encoding thread reads.
    if (bits == 0) return;
    uint32_t current = run_score_.load(std::memory_order_relaxed);
    if (current == 0 &&
        run_score_.compare_exchange_strong(current, bits, std::memory_order_relaxed)) {
      current = bits;
    }
    if (current != bits) return;
    std::atomic<uint64_t>& word = Unknown3()[c >> 6];
    const uint64_t bit = uint64_t{1} << (c & 63);
    if ((word.load(std::memory_order_relaxed) & bit) == 0) {
      word.fetch_or(bit, std::memory_order_relaxed);
    }
  }
  // The score of every marked character, into *score; false while none is
  // marked. Read it before testing bits: it is set once, before any bit,
  // so a reader that finds it reads the score of every bit it then sees
  // (and one that does not must not use the bits it may see).
  bool MarkedScore(float* score) const {
    const uint32_t bits = run_score_.load(std::memory_order_relaxed);
    std::memcpy(score, &bits, sizeof(*score));
    return bits != 0;
  }
  // Whether code point `c` (a well-formed three-byte character's) was
  // marked. REQUIRES: MarkedScore() was true.
  bool IsMarkedUnknown3(uint32_t c) const { return IsMarkedUnknown3(c >> 6, c & 63); }
  // The same for c = row << 6 | bit (utf8::ThreeByteRow(), ThreeByteBit()).
  bool IsMarkedUnknown3(uint32_t row, uint32_t bit) const {
    return (Unknown3()[row].load(std::memory_order_relaxed) >> bit) & 1;
  }

  // Whether code point `c`'s segment is known already and is an unknown
  // one with a float score (into *score): such characters in a row after
  // an unknown one only add their scores (one unit for the run).
  bool PeekUnknown(uint32_t c, float* score) const {
    const uint64_t e = entries_[c].load(std::memory_order_relaxed);
    if ((static_cast<uint32_t>(e) & (kFilled | kUnknown | kWide)) != (kFilled | kUnknown)) {
      return false;
    }
    const auto high = static_cast<uint32_t>(e >> 32);
    std::memcpy(score, &high, sizeof(float));
    return true;
  }

 private:
  // An entry: the score's bits above bit 32; below, kFilled, kUnknown,
  // kWide and the id. 0: not computed yet.
  static constexpr uint32_t kFilled = uint32_t{1} << 31;
  static constexpr uint32_t kUnknown = uint32_t{1} << 30;
  static constexpr uint32_t kWide = uint32_t{1} << 29;
  static constexpr uint32_t kIdMask = kWide - 1;
  static constexpr uint64_t kNone = kFilled | kIdMask;  // No segment (kMaxId < kIdMask).
  static uint64_t Pack(const std::optional<Segment>& s) {
    if (!s.has_value() || s->id < 0 || s->id > kMaxId) return kNone;
    uint32_t score_bits;
    std::memcpy(&score_bits, &s->score, sizeof(float));
    return (uint64_t{score_bits} << 32) | kFilled | (s->unknown ? kUnknown : 0) |
           (s->wide ? kWide : 0) | static_cast<uint32_t>(s->id);
  }

  std::atomic<uint64_t>* Unknown3() const { return entries_.get() + 0x10000; }

  uint64_t uid_;
  // By code point, then Unknown3()'s bitmap.
  using Entries = ZeroPageArray<std::atomic<uint64_t>>;
  Entries entries_;
  mutable std::atomic<uint32_t> run_score_{0};  // See MarkUnknown3().
};

}  // namespace sentencepiece

#endif  // SPM_SRC_ENCODER_LONE_CHARS_H_
