// FastIdEncoder's lone characters (CharAdjacency::Lone()): text that
// segments a character at a time, from a table (LoneChars), instead of
// through the model.

#include <algorithm>
#include <cstdint>
#include <optional>

#include "common/slice.h"
#include "common/utf8.h"
#include "encoder/bpe_model.h"
#include "encoder/char_adjacency.h"
#include "encoder/fast_ids.h"
#include "encoder/fast_ids_output.h"
#include "encoder/unigram_model.h"

namespace sentencepiece {
namespace {

// One step through text as the models take it: *len = utf8::OneCharLen()
// of the lead byte, capped at `n` (REQUIRES: n > 0). True, with the code
// point in *c, when that step is a whole, well-formed character below
// U+10000 (*c means nothing otherwise).
inline bool StepChar(const unsigned char* p, size_t n, uint32_t* c, size_t* len) {
  const unsigned char lead = p[0];
  if ((lead & 0xF0) == 0xE0 && n >= 3) {
    // Three bytes first (the characters of unspaced scripts, taken one at
    // a time), with the tests folded.
    const unsigned b1 = p[1] ^ 0x80u;
    const unsigned b2 = p[2] ^ 0x80u;
    *len = 3;
    *c = ((lead & 0x0Fu) << 12) | (b1 << 6) | b2;
    // Trail bytes, not overlong, no surrogate.
    return (b1 | b2) < 0x40 && *c >= 0x800 && *c - 0xD800 >= 0x800;
  }
  const size_t want = utf8::OneCharLen(static_cast<char>(lead));
  *len = std::min(want, n);
  if (*len < want) return false;  // Cut off (a three-byte one too).
  switch (want) {
    case 1:  // ASCII, or a stray trail byte.
      *c = lead;
      return lead < 0x80;
    case 2:
      *c = ((lead & 0x1Fu) << 6) | (p[1] & 0x3Fu);
      return lead >= 0xC2 && (p[1] & 0xC0) == 0x80;
    default:  // Four bytes (or malformed): never lone here.
      return false;
  }
}

}  // namespace

std::optional<LoneChars::Segment> FastIdEncoder::LoneSegment(std::string_view c) const {
  thread_local EncodeResult segments;
  segments.clear();
  LoneChars::Segment s;
  if (unigram_ != nullptr) {
    thread_local UnigramModel::WordStats stats;
    unigram_->Viterbi(c, 0, c.size(), 0.0f, &segments, &stats);
    // The score as the path adds it: kept as a float when it is one; else
    // (a user-defined piece: length * max score - 0.1) taken from the model
    // at each use.
    if (segments.size() != 1 || stats.scores.size() != 1) return std::nullopt;
    s.score = static_cast<float>(stats.scores[0]);
    if (static_cast<double>(s.score) != stats.scores[0]) {
      const int id = segments[0].id;
      if (!model_.vocab().IsUserDefined(id) || unigram_->PathScore(id) != stats.scores[0]) {
        return std::nullopt;
      }
      s.wide = true;
    }
  } else {
    bpe_->SampleEncode(c, 0.0f, &segments);
    if (segments.size() != 1) return std::nullopt;
  }
  const Vocabulary& v = model_.vocab();
  s.id = segments[0].id;
  if (v.IsControl(s.id)) return std::nullopt;  // Left to the full path (AppendUnits()).
  s.unknown = v.IsUnknown(s.id);
  return s;
}

bool FastIdEncoder::SegmentText(std::string_view text, float* base, Units* out,
                                bool* prev_unknown) const {
  thread_local EncodeResult segments;
  bool ids_ok = true;
  auto append_ids = [&](const EncodeResult& part) {
    ids_ok = ids_ok && AppendUnits(part, out, prev_unknown);
  };
  const Model::SegmentSink consume(append_ids);
  // Without the table a unigram model segments such a run by Viterbi
  // (hash lookups of each prefix, before its trie is built), many times
  // the cost of the lone characters' table, which pays for itself after a
  // few KB of runs (ALBERT, 50 KB of Chinese: 42.7M instructions built at
  // once, 79.4M never built, 43.5M built after 2 KB of runs). A BPE model
  // merges a run nearly as fast without it (llama2: ~40 instructions a
  // byte more).
  const size_t weight = unigram_ != nullptr ? 32 : 1;
  const CharAdjacency* adjacency = model_.AdjacencyIfFree(weight * text.size());
  if (adjacency == nullptr) {
    SegmentInParts(text, base, &segments, consume);
    return ids_ok;
  }
  // Lone characters (CharAdjacency::Lone()) from their table, what lies
  // between them from the model. The text is stepped through character by
  // character as the models step (utf8::OneCharLen() of each lead byte,
  // malformed or not), so each cut falls where the model would see a
  // character start; only whole, well-formed characters are lone.
  const LoneChars& lone = *lone_.Get(model_.uid());
  const Vocabulary& v = model_.vocab();
  auto compute = [this](std::string_view c) { return LoneSegment(c); };
  const auto* d = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  // As AppendUnits() would append the segment of text[at, at + len).
  auto emit = [&](const LoneChars::Segment& seg, size_t at, size_t len) {
    out->Segment(v, seg.id, seg.unknown, Slice(text, at, at + len), prev_unknown);
    // The path score as the model's Viterbi adds it.
    if (unigram_ != nullptr) {
      const double score = seg.wide ? unigram_->PathScore(seg.id) : static_cast<double>(seg.score);
      *base = static_cast<float>(score + static_cast<double>(*base));
    }
  };
  // Between two cuts: a single character (most often `▁` or punctuation
  // between lone characters) segments as it does alone, so it too comes
  // from the table; longer stretches from the model.
  auto segment_stretch = [&](size_t begin, size_t end) {
    uint32_t c;
    size_t len;
    LoneChars::Segment seg;
    if (StepChar(d + begin, end - begin, &c, &len) && len == end - begin &&
        lone.Get(c, Slice(text, begin, begin + len), compute, &seg)) {
      return emit(seg, begin, len);
    }
    SegmentInParts(Slice(text, begin, end), base, &segments, consume);
  };
  size_t stretch = 0;  // Start of the text not segmented yet.
  for (size_t pos = 0; pos < n;) {
    uint32_t c;
    size_t len;
    LoneChars::Segment seg;
    if (!StepChar(d + pos, n - pos, &c, &len) || c < 0x80 || !adjacency->Lone(c) ||
        !lone.Get(c, Slice(text, pos, pos + len), compute, &seg)) {
      pos += len;
      continue;
    }
    if (len == 3) lone.MarkUnknown3(c, seg);
    if (pos > stretch) segment_stretch(stretch, pos);
    emit(seg, pos, len);
    pos += len;
    stretch = pos;
    if (!seg.unknown || seg.wide || v.byte_fallback()) continue;
    // Lone characters that segment as unknown continue this one's unit
    // (Units::Segment() joins them): a run of them (Chinese or Japanese
    // under a vocabulary without them, such as ALBERT's) is taken here,
    // its path score added character by character as the model's Viterbi
    // adds it, and handed over as one piece.
    const size_t run = pos;
    const bool add_scores = unigram_ != nullptr;
    float path_score = *base;
    // Marked three-byte characters first (Chinese or Japanese), one bitmap
    // test each, each adding the score PeekUnknown() would give (see
    // LoneChars::MarkUnknown3()); then any others.
    // (Only well-formed characters are marked: an overlong form or a
    // surrogate decodes to a code point that never is.)
    // The sum is taken in float: a double sum of two floats rounded to
    // float is the float sum, rounded once (double's 53 bits are more than
    // twice float's 24 plus two: double rounding is innocuous for +), and
    // a float add is a third of the chain's latency.
    if (float marked; lone.MarkedScore(&marked)) {
      const unsigned char* q = d + pos;
      // (Four bytes read a step: the last character is left to the loop
      // below.)
      for (uint32_t w; d + n - q >= 4 && utf8::ThreeByteWordAt4(q, &w) &&
                        lone.IsMarkedUnknown3(utf8::ThreeByteRow(w), utf8::ThreeByteBit(w));
           q += 3) {
        if (add_scores) path_score += marked;
      }
      pos = static_cast<size_t>(q - d);
    }
    while (pos < n) {
      uint32_t next;
      size_t next_len;
      if (!StepChar(d + pos, n - pos, &next, &next_len) || next < 0x80) break;
      float score;
      if (!adjacency->Lone(next) || !lone.PeekUnknown(next, &score)) break;
      if (add_scores) {
        path_score = static_cast<float>(static_cast<double>(score) + static_cast<double>(path_score));
      }
      pos += next_len;
    }
    *base = path_score;
    if (pos > run) {
      out->Segment(v, v.unk_id(), true, Slice(text, run, pos), prev_unknown);
      stretch = pos;
    }
  }
  if (stretch < n) segment_stretch(stretch, n);
  return ids_ok;
}

}  // namespace sentencepiece
