#include "encoder/fast_ids.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>

#include "common/id_text.h"
#include "common/utf8.h"
#include "encoder/bpe_model.h"
#include "encoder/fast_ids_output.h"
#include "encoder/unigram_model.h"

namespace sentencepiece {
namespace {

// The largest float at most `bound`, for a test |base| < bound made with
// floats that passes only where the double test does (a finite bound
// past the float range becomes +-FLT_MAX: only more conservative).
float FloatAtMost(double bound) {
  if (std::isinf(bound) || std::isnan(bound)) return static_cast<float>(bound);
  if (bound >= FLT_MAX) return FLT_MAX;
  if (bound <= -FLT_MAX) return -FLT_MAX;
  float f = static_cast<float>(bound);
  if (static_cast<double>(f) > bound) f = std::nextafter(f, -HUGE_VALF);
  return f;
}

}  // namespace

FastIdEncoder::FastIdEncoder(const Normalizer& normalizer, const Model& model,
                             const ModelProto& proto, Output output)
    : normalizer_(normalizer),
      model_(model),
      unigram_(dynamic_cast<const UnigramModel*>(&model)),
      bpe_(dynamic_cast<const BpeModel*>(&model)),
      output_(output) {
  const NormalizerSpec& ns = normalizer.spec();
  const bool supported_type = unigram_ != nullptr || bpe_ != nullptr;
  enabled_ = supported_type && ns.escape_whitespaces() &&
             !proto.trainer_spec().treat_whitespace_as_suffix();
  dummy_ = ns.add_dummy_prefix() ? 1 : 0;
  // Segment ids and the padding id (the vocabulary's size) in 16 bits.
  narrow_lanes_ = model.vocab().size() <= UINT16_MAX;
}

const IdTextTable* FastIdEncoder::IdTextTableIfFree(size_t num_lines,
                                                    const std::string_view* lines) const {
  if (output_ != Output::kIdText) return nullptr;
  auto bytes = [num_lines, lines] {
    size_t n = 0;
    for (size_t i = 0; i < num_lines; ++i) n += lines[i].size();
    return n;
  };
  auto build = [this]() -> std::unique_ptr<IdTextTable> {
    const auto size = static_cast<uint32_t>(model_.vocab().size());
    if (size > IdTextTable::kMaxSize) return nullptr;
    return std::make_unique<IdTextTable>(size);
  };
  return id_text_.TryGetOnceSpent(bytes, Model::kLargeInputBytes, build);
}

namespace {

// *text = `lead` times `▁`.
void AssignSpaces(size_t lead, std::string* text) {
  const std::string_view space = utf8::kSpaceSymbol;
  text->resize(lead * space.size());
  for (size_t i = 0; i < lead; ++i) {
    std::memcpy(text->data() + i * space.size(), space.data(), space.size());
  }
}

}  // namespace

bool FastIdEncoder::NormalizeWord(std::string_view word, size_t lead, std::string* text,
                                  WordEnd* end) const {
  const size_t spaces = lead * utf8::kSpaceSymbol.size();
  if (word.empty()) {
    // The spaces that end a line without whitespace removal.
    AssignSpaces(lead, text);
    *end = {model_.splitter().SafeBefore(*text), false};
    return lead > 0;
  }
  if (normalizer_.IsAsciiIdentity(word)) {
    // The word as it is (AppendNormalizedWord() would copy it byte by
    // byte); it ends with its own last byte.
    AssignSpaces(lead, text);
    text->append(word.data(), word.size());
    *end = {model_.splitter().SafeBefore(*text), false};
    return true;
  }
  AssignSpaces(lead, text);
  // A long word (a line without spaces) would grow the text by doubling,
  // copying it into fresh pages each time; three bytes per byte covers a
  // malformed byte's U+FFFD (a longer expansion still grows it), and only
  // the pages written are paged in.
  constexpr size_t kLongWord = 1 << 16;
  if (word.size() > kLongWord) text->reserve(3 * word.size() + utf8::kSpaceSymbol.size());
  bool space_end = false;
  if (!normalizer_.AppendNormalizedWord(word, text, &space_end)) return false;
  // A word that normalizes to nothing vanishes from the line with its
  // separator: the previous word's end still counts. (Only with
  // whitespace removal, where `lead` is 1 or, for a line's first word
  // without a dummy prefix, 0; AppendNormalizedWord() refuses an empty
  // result otherwise.)
  if (text->size() > spaces) {
    *end = {model_.splitter().SafeBefore(*text), space_end};
    return true;
  }
  return lead == 1;
}

namespace {

// Whether NormalizeWord()'s *text for `word` is a vanished word: the
// word's `▁` alone.
bool Vanished(std::string_view word, const std::string& text, size_t lead) {
  return !word.empty() && text.size() == lead * utf8::kSpaceSymbol.size();
}

}  // namespace

bool FastIdEncoder::SegmentWord(std::string_view word, size_t lead, float* base,
                                UnigramModel::WordStats* stats, EncodeResult* segments,
                                WordEnd* end) const {
  thread_local std::string text;
  if (!NormalizeWord(word, lead, &text, end)) return false;
  segments->clear();
  if (Vanished(word, text, lead)) return true;
  if (unigram_ != nullptr) {
    *base = unigram_->Viterbi(text, 0, text.size(), *base, segments, stats);
  } else {
    // The word is not looked up in the model's word cache (the caller
    // caches the result); a new word's parts are (BpeModel::EncodeNewWord()).
    bpe_->EncodeNewWord(text, segments);
  }
  return true;
}

void FastIdEncoder::SegmentInParts(std::string_view text, float* base, EncodeResult* buffer,
                                   Model::SegmentSink consume) const {
  if (unigram_ != nullptr) {
    *base = unigram_->ViterbiInParts(text, 0, text.size(), *base, buffer, consume);
  } else {
    bpe_->EncodeWordInParts(text, buffer, consume);
  }
}

bool FastIdEncoder::AppendUnits(const EncodeResult& segments, Units* out,
                                bool* prev_unknown) const {
  const Vocabulary& v = model_.vocab();
  const auto size = static_cast<unsigned>(v.size());
  if (out->text == nullptr && out->drain == nullptr && !v.byte_fallback()) {
    // Ids alone (a new word's, in Analyze()): Units::Segment() without the
    // tests for what this case never has.
    std::vector<int>& ids = *out->ids;
    for (const EncodedPiece& seg : segments) {
      const int type = static_cast<unsigned>(seg.id) < size ? v.GetType(seg.id) : 0;
      if (type == ModelProto::SentencePiece::CONTROL) return false;
      const bool unknown = type == ModelProto::SentencePiece::UNKNOWN;
      if (!(unknown && *prev_unknown)) ids.push_back(seg.id);  // Else joins the run.
      *prev_unknown = unknown;
    }
    return true;
  }
  for (const EncodedPiece& seg : segments) {
    // One type load (an id outside the vocabulary is of no type).
    const int type = static_cast<unsigned>(seg.id) < size ? v.GetType(seg.id) : 0;
    if (type == ModelProto::SentencePiece::CONTROL) return false;  // Rare; left to the full path.
    out->Segment(v, seg.id, type == ModelProto::SentencePiece::UNKNOWN, seg.piece, prev_unknown);
  }
  return true;
}

size_t FastIdEncoder::Analyze(std::string_view word, size_t lead,
                              std::vector<uint64_t>* value) const {
  static_assert(sizeof(Word) == 8, "a cached word's header is one 8-byte word");
  // The value is built in place, in storage that only grows (a shrink and
  // regrow would zero-fill it for every word); bytes no reader looks at
  // (padding) keep whatever they held.
  if (value->size() < 32) value->resize(32);
  Word w{};
  auto store = [&w, value] {
    std::memcpy(value->data(), &w, sizeof(Word));
    return sizeof(Word) / 8;
  };
  thread_local EncodeResult segments;
  thread_local UnigramModel::WordStats stats;
  thread_local std::vector<int> ids;
  ids.clear();
  float base = 0.0f;
  WordEnd end;
  if (!SegmentWord(word, lead, &base, unigram_ != nullptr ? &stats : nullptr, &segments, &end)) {
    return store();
  }
  if (segments.empty()) {  // Vanishes (see SegmentWord()).
    w.usable = 1;
    w.edges = Word::kVanishes;
    return store();
  }
  double max_base = HUGE_VAL;
  bool integral_base = false;  // max_base holds for an integral base only.
  // Unigram: each segment's score as the path adds it (stats.scores).
  const double* scores = nullptr;
  size_t num_scores = 0;
  if (unigram_ != nullptr) {
    max_base = UnigramModel::MaxReusableBaseIfIntegral(stats, &integral_base);
    scores = stats.scores.data();
    num_scores = stats.scores.size();
  }
  if (segments.size() > 255) return store();  // Not usable.
  if (unigram_ != nullptr && output_ != Output::kPieces) {
    const size_t words = AnalyzeIds(segments, scores, max_base, integral_base, end, value);
    if (words > 0) return words;
  }
  bool prev_unknown = false;
  // The ids, and with Output::kPieces the pieces' text (each piece
  // followed by a space; a run of unknown pieces inside the word is one).
  thread_local std::string piece_text;
  piece_text.clear();
  Units units;
  units.ids = &ids;
  if (output_ == Output::kPieces) units.text = &piece_text;
  if (!AppendUnits(segments, &units, &prev_unknown)) return store();
  if (ids.size() > Word::kMaxIds) return store();
  if (output_ == Output::kPieces && piece_text.size() > UINT16_MAX) return store();
  const Vocabulary& v = model_.vocab();
  w.edges = (v.IsUnknown(segments.front().id) && !v.byte_fallback() ? Word::kStartsUnknown : 0) |
            (prev_unknown ? Word::kEndsUnknown : 0) | (end.space_end ? Word::kSpaceEnd : 0) |
            (end.safe_before ? Word::kSafeEnd : 0);
  bool floats = true;
  for (size_t i = 0; i < num_scores; ++i) {
    floats = floats && static_cast<double>(static_cast<float>(scores[i])) == scores[i];
  }
  if (integral_base) w.edges |= Word::kIntegralBase;
  const bool plain = unigram_ == nullptr || (floats && !integral_base && num_scores >= 1 &&
                                             num_scores <= Word::kScoreLanes);
  // Any other unigram word keeps its segments' ids, whose scores the
  // model's table holds (the pass read them there: `scores[i]` is
  // SegmentScores()[segments[i].id]).
  const size_t lanes_bytes = LanesBytes(plain, num_scores);
  // Room for the header, the output (ids' text: at most 11 bytes an id,
  // and a store reaches IdText::kMaxStore from an id's start), the scores
  // and 8 bytes of padding.
  static_assert(sizeof(int) == 4, "ids are stored as 4-byte words");
  const size_t max_output = output_ == Output::kIds      ? Word::IdsBytes(ids.size())
                            : output_ == Output::kPieces ? Word::TextBytes(piece_text.size())
                                                         : 11 * ids.size() + IdText::kMaxStore;
  const size_t room = sizeof(Word) + max_output + lanes_bytes + 8;
  if (value->size() * 8 < room) value->resize((room + 7) / 8);
  char* const bytes = reinterpret_cast<char*>(value->data());
  char* const output = bytes + sizeof(Word);
  size_t output_bytes;
  if (output_ == Output::kIds) {
    // memcpy from an empty vector's data() (possibly null) is undefined
    // even for 0 bytes.
    if (!ids.empty()) std::memcpy(output, ids.data(), ids.size() * 4);
    output_bytes = Word::IdsBytes(ids.size());
  } else if (PacksIds(ids.size())) {
    for (size_t i = 0; i < ids.size(); ++i) {
      const auto id = static_cast<uint16_t>(ids[i]);
      std::memcpy(output + 2 * i, &id, 2);
    }
    w.edges |= Word::kPackedIds;
    output_bytes = Word::PackedIdsBytes(ids.size());
  } else {
    // The output as text (see TextSink): the pieces', or the ids'.
    size_t text_size;
    if (output_ == Output::kPieces) {
      std::memcpy(output, piece_text.data(), piece_text.size());
      text_size = piece_text.size();
    } else {
      const IdText& digits = IdText::Shared();
      const IdTextTable* table = IdTextTableIfFree();
      char* t = output;
      for (size_t i = 0; i < ids.size(); ++i) {
        const auto id = static_cast<uint32_t>(ids[i]);
        t = table != nullptr ? table->PutWithSpace(t, id) : digits.PutWithSpace(t, id);
        if (i == 0) w.first_text = static_cast<uint8_t>(t - output);
      }
      text_size = static_cast<size_t>(t - output);
    }
    w.text_size = static_cast<uint16_t>(text_size);
    output_bytes = Word::TextBytes(text_size);
  }
  w.usable = 1;
  w.num_ids = static_cast<uint16_t>(ids.size());
  w.num_scores = static_cast<uint8_t>(num_scores);
  if (plain) w.edges |= Word::kPlain;
  const size_t scores_at = sizeof(Word) + output_bytes;  // The max base first.
  // (8 bytes of padding after a text with nothing after it: see TextBytes().)
  const size_t padding = w.text_size > 0 && num_scores == 0 ? 8 : 0;
  const size_t total = scores_at + lanes_bytes + padding;
  store();
  if (num_scores > 0) {
    const float bound = FloatAtMost(max_base);
    std::memcpy(bytes + scores_at, &bound, 4);
    char* const lanes = bytes + scores_at + 4;
    const int pad = model_.vocab().size();  // Scores +0.0 (SegmentScores()).
    for (size_t i = 0; i < std::max<size_t>(num_scores, Word::kScoreLanes); ++i) {
      // (+0.0, or the id that scores it, in the lanes past the word's
      // scores: see Word::AddPlainScores().)
      if (plain) {
        const float f = i < num_scores ? static_cast<float>(scores[i]) : 0.0f;
        std::memcpy(lanes + 4 * i, &f, 4);
      } else if (narrow_lanes_) {
        const auto id = static_cast<uint16_t>(i < num_scores ? segments[i].id : pad);
        std::memcpy(lanes + 2 * i, &id, 2);
      } else {
        const auto id = static_cast<uint32_t>(i < num_scores ? segments[i].id : pad);
        std::memcpy(lanes + 4 * i, &id, 4);
      }
    }
  }
  return total / 8;
}

bool FastIdEncoder::PacksIds(size_t num_ids) const {
  return output_ == Output::kIdText && narrow_lanes_ && num_ids >= Word::kPackFromIds;
}

size_t FastIdEncoder::LanesBytes(bool plain, size_t num_scores) const {
  if (plain) return Word::LanesBytes<float>(num_scores);
  return narrow_lanes_ ? Word::LanesBytes<uint16_t>(num_scores)
                       : Word::LanesBytes<uint32_t>(num_scores);
}

bool FastIdEncoder::UncachedWord(std::string_view word, size_t lead, float* base, Units* out,
                                bool* prev_unknown, WordEnd* end) const {
  thread_local std::string text;
  if (!NormalizeWord(word, lead, &text, end)) return false;
  if (Vanished(word, text, lead)) return true;
  return SegmentText(text, base, out, prev_unknown);
}

size_t FastIdEncoder::AnalyzeIds(const EncodeResult& segments, const double* scores,
                                 double max_base, bool integral_base, const WordEnd& end,
                                 std::vector<uint64_t>* value) const {
  const Vocabulary& v = model_.vocab();
  const size_t n = segments.size();
  if (v.byte_fallback() || n > kFusedSegments) return 0;
  // Room for the header, the ids' text (11 bytes an id and a store's
  // reach; more than the ids), the bound and the lanes (4 bytes each, the
  // larger), and 8 bytes of padding.
  constexpr size_t kRoom =
      sizeof(Word) + 11 * kFusedSegments + IdText::kMaxStore + 4 + 4 * kFusedSegments + 8;
  if (value->size() * 8 < kRoom) value->resize((kRoom + 7) / 8);
  char* const bytes = reinterpret_cast<char*>(value->data());
  char* const output = bytes + sizeof(Word);
  const IdText& digits = IdText::Shared();
  const bool text = output_ == Output::kIdText;  // Else kIds.
  const IdTextTable* table = text ? IdTextTableIfFree() : nullptr;
  static_assert(sizeof(int) == 4, "ids are stored as 4-byte words");
  const auto size = static_cast<unsigned>(v.size());
  // The lanes past the word's scores hold +0.0 (see Word::AddPlainScores()).
  static_assert(kFusedSegments >= Word::kScoreLanes, "a word's lanes are among these");
  float lanes[kFusedSegments] = {};
  // The segments' ids, for a word that is not kPlain; the id past the
  // vocabulary's, which scores +0.0, up to kScoreLanes (see
  // Word::AddSegmentScores()).
  uint16_t ids16[kFusedSegments];
  uint32_t ids32[kFusedSegments];
  for (size_t i = 0; i < Word::kScoreLanes; ++i) {
    ids16[i] = static_cast<uint16_t>(size);
    ids32[i] = size;
  }
  uint16_t out16[kFusedSegments];  // The ids handed out (kPackedIds).
  bool control = false;
  bool wide = false;
  bool prev_unknown = false;
  size_t num_ids = 0;
  char* t = output;
  auto step = [&](size_t i) __attribute__((always_inline)) {
    const int id = segments[i].id;
    // One type load (an id outside the vocabulary is of no type).
    const int type = static_cast<unsigned>(id) < size ? v.GetType(id) : 0;
    control |= type == ModelProto::SentencePiece::CONTROL;
    const bool unknown = type == ModelProto::SentencePiece::UNKNOWN;
    // A run of unknown pieces is one id (the first).
    if (!(unknown && prev_unknown)) {
      out16[num_ids] = static_cast<uint16_t>(id);
      if (text) {
        const auto u = static_cast<uint32_t>(id);
        t = table != nullptr ? table->PutWithSpace(t, u) : digits.PutWithSpace(t, u);
      } else {
        std::memcpy(output + 4 * num_ids, &id, 4);
      }
      ++num_ids;
    }
    prev_unknown = unknown;
    const float f = static_cast<float>(scores[i]);
    wide |= static_cast<double>(f) != scores[i];
    lanes[i] = f;
    ids16[i] = static_cast<uint16_t>(id);
    ids32[i] = static_cast<uint32_t>(id);
  };
  step(0);  // (Apart: the first id's text has its length recorded.)
  const size_t first_text = static_cast<size_t>(t - output);  // (0 for kIds.)
  for (size_t i = 1; i < n; ++i) step(i);
  if (control) return 0;  // Not usable: the general way says so.
  Word w{};
  w.usable = 1;
  w.num_ids = static_cast<uint16_t>(num_ids);
  w.num_scores = static_cast<uint8_t>(n);
  w.first_text = static_cast<uint8_t>(first_text);
  size_t text_size = static_cast<size_t>(t - output);
  // Many ids: kept as 16-bit numbers instead (see Word::kPackFromIds).
  const bool packed = PacksIds(num_ids);
  if (packed) {
    std::memcpy(output, out16, 2 * num_ids);
    text_size = 0;
    w.first_text = 0;
  }
  w.text_size = static_cast<uint16_t>(text_size);
  w.edges = (v.IsUnknown(segments.front().id) ? Word::kStartsUnknown : 0) |
            (prev_unknown ? Word::kEndsUnknown : 0) | (end.space_end ? Word::kSpaceEnd : 0) |
            (end.safe_before ? Word::kSafeEnd : 0) | (integral_base ? Word::kIntegralBase : 0) |
            (!wide && !integral_base && n <= Word::kScoreLanes ? Word::kPlain : 0) |
            (packed ? Word::kPackedIds : 0);
  const bool plain = (w.edges & Word::kPlain) != 0;
  std::memcpy(bytes, &w, sizeof(Word));
  // The bound, then the lanes.
  char* const at = output + (packed ? Word::PackedIdsBytes(num_ids)
                             : text ? Word::TextBytes(text_size)
                                    : Word::IdsBytes(num_ids));
  const float bound = FloatAtMost(max_base);
  std::memcpy(at, &bound, 4);
  // All the lanes, whatever their number (a copy of the word's only was
  // a branchy one): those past the value are scratch (kRoom has them).
  if (plain) {
    std::memcpy(at + 4, lanes, sizeof(lanes));
  } else if (narrow_lanes_) {
    std::memcpy(at + 4, ids16, sizeof(ids16));
  } else {
    std::memcpy(at + 4, ids32, sizeof(ids32));
  }
  return (static_cast<size_t>(at - bytes) + LanesBytes(plain, n)) / 8;
}

}  // namespace sentencepiece
