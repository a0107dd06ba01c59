#include "encoder/fast_ids.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <utility>

#include "common/id_text.h"
#include "common/slice.h"
#include "common/space_scan.h"
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
  bool wide = false;
  for (size_t i = 0; i < num_scores; ++i) {
    wide = wide || static_cast<double>(static_cast<float>(scores[i])) != scores[i];
  }
  if (wide) w.edges |= Word::kWideScores;
  if (integral_base) w.edges |= Word::kIntegralBase;
  // Room for the header, the output (ids' text: at most 11 bytes an id,
  // and a store reaches IdText::kMaxStore from an id's start), the scores
  // and 8 bytes of padding.
  static_assert(sizeof(int) == 4, "ids are stored as 4-byte words");
  const size_t max_output = output_ == Output::kIds      ? Word::IdsBytes(ids.size())
                            : output_ == Output::kPieces ? Word::TextBytes(piece_text.size())
                                                         : 11 * ids.size() + IdText::kMaxStore;
  const size_t room = sizeof(Word) + max_output + Word::ScoresBytes(num_scores, wide) + 8;
  if (value->size() * 8 < room) value->resize((room + 7) / 8);
  char* const bytes = reinterpret_cast<char*>(value->data());
  char* const output = bytes + sizeof(Word);
  size_t output_bytes;
  if (output_ == Output::kIds) {
    // memcpy from an empty vector's data() (possibly null) is undefined
    // even for 0 bytes.
    if (!ids.empty()) std::memcpy(output, ids.data(), ids.size() * 4);
    output_bytes = Word::IdsBytes(ids.size());
  } else {
    // The output as text (see TextSink): the pieces', or the ids'.
    size_t text_size;
    if (output_ == Output::kPieces) {
      std::memcpy(output, piece_text.data(), piece_text.size());
      text_size = piece_text.size();
    } else {
      const IdText& table = IdText::Shared();
      char* t = output;
      for (size_t i = 0; i < ids.size(); ++i) {
        t = table.PutWithSpace(t, static_cast<uint32_t>(ids[i]));
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
  if (unigram_ == nullptr || (!wide && !integral_base && num_scores >= 1 &&
                              num_scores <= Word::kScoreLanes)) {
    w.edges |= Word::kPlain;
  }
  const size_t scores_at = sizeof(Word) + output_bytes;  // The max base first.
  // (8 bytes of padding after a text with nothing after it: see TextBytes().)
  const size_t padding = output_ != Output::kIds && num_scores == 0 ? 8 : 0;
  const size_t total = scores_at + Word::ScoresBytes(num_scores, wide) + padding;
  store();
  if (num_scores > 0) {
    if (wide) {
      std::memcpy(bytes + scores_at, &max_base, 8);
      std::memcpy(bytes + scores_at + 8, scores, num_scores * 8);
      for (size_t i = num_scores; i < Word::kScoreLanes; ++i) {
        const double zero = 0.0;  // (See AddScores().)
        std::memcpy(bytes + scores_at + 8 + 8 * i, &zero, 8);
      }
    } else {
      const float bound = FloatAtMost(max_base);
      std::memcpy(bytes + scores_at, &bound, 4);
      for (size_t i = 0; i < std::max<size_t>(num_scores, Word::kScoreLanes); ++i) {
        // (+0.0 in the lanes past the word's scores: see AddScores().)
        const float f = i < num_scores ? static_cast<float>(scores[i]) : 0.0f;
        std::memcpy(bytes + scores_at + 4 + 4 * i, &f, 4);
      }
    }
  }
  return total / 8;
}

bool FastIdEncoder::UncachedWord(std::string_view word, size_t lead, float* base, Units* out,
                                bool* prev_unknown, WordEnd* end) const {
  thread_local std::string text;
  if (!NormalizeWord(word, lead, &text, end)) return false;
  if (Vanished(word, text, lead)) return true;
  return SegmentText(text, base, out, prev_unknown);
}

// A word of a line, as ScanLine() finds it.
struct FastIdEncoder::Span {
  uint32_t begin = 0;
  uint32_t end = 0;
  uint64_t hash = 0;
  uint32_t lead = 1;    // The `▁`s before the word (see KeyOf()).
  bool cached = false;  // False: segmented on the spot, not looked up.
  // A cached short word with lead 1: its bytes (ShortWordBytes()), made
  // once for its hash and kept for its lookup.
  uint64_t short_bytes = 0;
};

namespace {

// A word's output depends on the `▁`s before it, its `lead`: one as a
// rule; none for a line's first word without a dummy prefix; the run of
// separator spaces (plus the dummy prefix before a line's first word)
// without whitespace removal. A word with lead 1 is cached under the word
// itself; others under keys that hold spaces, which no word does (words
// are split at spaces): lead 0 under the word and a space, more under
// that many spaces and the word. In the line, that is the word with the
// space that ends it, or with the spaces before it, where they are there;
// else a copy in *storage.
std::string_view KeyOf(std::string_view line, size_t pos, size_t end, size_t lead,
                       std::string* storage) {
  if (lead == 0) {
    if (end < line.size()) return Slice(line, pos, end + 1);  // line[end] is a space.
    storage->assign(line.data() + pos, end - pos);
    storage->push_back(' ');
    return *storage;
  }
  // All spaces before a word with lead > 1, but for a first word's dummy
  // prefix.
  if (pos >= lead) return Slice(line, pos - lead, end);
  storage->assign(lead, ' ');
  storage->append(line.data() + pos, end - pos);
  return *storage;
}

// The bytes KeyOf() adds to the word.
size_t KeyExtra(size_t lead) { return lead == 1 ? 0 : lead == 0 ? 1 : lead; }

// Words ahead whose cache slot is fetched, and whose entry is.
constexpr size_t kSlotAhead = 24;
constexpr size_t kEntryAhead = 8;

}  // namespace

size_t FastIdEncoder::ScanLine(std::string_view line, const WordCache::Hints& hints,
                               std::vector<Span>* spans, size_t at) const {
  if (line.size() > UINT32_MAX) return kRefused;
  // With remove_extra_whitespaces the line's leading and trailing spaces
  // go and a run of spaces reads as one; otherwise every space is a `▁` of
  // its own: a word is cached with the run before it (its lead), and
  // trailing spaces are a unit of their own. Either way only as long as no
  // rule's source has two spaces in a row.
  const bool collapse = normalizer_.spec().remove_extra_whitespaces();
  auto space_after_space = [this] { return normalizer_.SpaceIsolated(' ', ' '); };
  size_t first = 0;
  size_t stop = line.size();
  while (first < stop && line[first] == ' ') ++first;
  while (stop > first && line[stop - 1] == ' ') --stop;
  if (first == stop) return kRefused;  // Empty or spaces only.
  if (first > 0 || stop < line.size()) {
    if (first > 0 && !normalizer_.SpaceIsolated(' ', static_cast<unsigned char>(line[first]))) {
      return kRefused;
    }
    if (stop < line.size() &&
        !normalizer_.SpaceIsolated(static_cast<unsigned char>(line[stop - 1]), ' ')) {
      return kRefused;
    }
    if ((first > 1 || line.size() - stop > 1) && !space_after_space()) return kRefused;
  }
  // Filled through pointers; grown (rarely: the storage is kept) when
  // full.
  if (spans->size() < at + 256) spans->resize(at + 256);
  Span* span_begin = spans->data() + at;
  Span* span_end = span_begin;
  Span* span_limit = spans->data() + spans->size();
  // The number of a short word line[pos, end) (ShortWordBytes()).
  auto short_bytes = [&line](size_t pos, size_t end) __attribute__((always_inline)) {
    return end >= 8 ? ShortWordBytesBefore(line.data() + end, end - pos)
                    : ShortWordBytes(line.data() + pos, end - pos);
  };
  const bool spaces_isolated = normalizer_.SpacesAlwaysIsolated();
  thread_local std::string key_storage;
  const size_t first_lead = (collapse ? 0 : first) + dummy_;
  // The word line[pos, end), found between spaces. (Inlined into the
  // space scan with the lambda below: as a call it spent ~30 of a cached
  // word's ~330 instructions saving and restoring registers.)
  auto add_word = [&](size_t pos, size_t end) __attribute__((always_inline)) {
    const std::string_view word = Slice(line, pos, end);
    size_t lead = first_lead;
    if (span_end != span_begin) {
      // The separator: line[prev_end, pos), one space or (collapse) more.
      const size_t prev_end = span_end[-1].end;
      if (!spaces_isolated &&
          !normalizer_.SpaceIsolated(static_cast<unsigned char>(line[prev_end - 1]),
                                     static_cast<unsigned char>(word[0]))) {
        return false;
      }
      if (pos - prev_end > 1 && !space_after_space()) return false;
      lead = collapse ? 1 : pos - prev_end;
    }
    // Long words, and runs of unspaced scripts, which rarely repeat, are
    // segmented on the spot, without the work of caching them.
    const bool cached =
        word.size() + KeyExtra(lead) <= WordCache::kMaxWordBytes && !LikelyUnrepeated(word);
    uint64_t hash = 0;
    uint64_t bytes = 0;
    if (cached) {
      if (lead != 1) {
        hash = HashWord(KeyOf(line, pos, end, lead, &key_storage));
      } else if (word.size() <= kShortWordBytes) {
        bytes = short_bytes(pos, end);
        hash = HashShortWord(bytes, word.size());
      } else {
        hash = HashWord(word);
      }
    }
    // (A word not looked up has hash 0: its hints touch slot 0, harmlessly.)
    if (static_cast<size_t>(span_end - span_begin) < kSlotAhead) hints.Slot(hash);
    if (span_end == span_limit) {
      const size_t used = static_cast<size_t>(span_end - spans->data());
      const size_t begin = static_cast<size_t>(span_begin - spans->data());
      spans->resize(2 * spans->size());
      span_begin = spans->data() + begin;
      span_end = spans->data() + used;
      span_limit = spans->data() + spans->size();
    }
    *span_end++ = {static_cast<uint32_t>(pos), static_cast<uint32_t>(end), hash,
                   static_cast<uint32_t>(lead), cached, bytes};
    return true;
  };
  // The words are the runs between spaces (one pass, no call per word).
  size_t word_begin = first;
  auto at_space = [&](size_t space) __attribute__((always_inline)) {
    const bool ok = space == word_begin || add_word(word_begin, space);
    word_begin = space + 1;
    return ok;
  };
  if (!ForEachSpace(line.data(), first, stop, at_space)) return kRefused;
  if (!add_word(word_begin, stop)) return kRefused;  // line[stop - 1] is no space.
  size_t count = static_cast<size_t>(span_end - span_begin);
  if (!collapse && stop < line.size()) {
    // Trailing spaces: a unit of `▁`s alone, segmented on the spot.
    if (spans->size() <= at + count) spans->resize(at + count + 1);
    const auto size = static_cast<uint32_t>(line.size());
    (*spans)[at + count++] = {size, size, 0, static_cast<uint32_t>(line.size() - stop), false};
  }
  return count;
}

// The words of the lines a thread is encoding: those of the line at hand,
// then, in a run of lines, those of the next line, scanned ahead.
struct FastIdEncoder::LineState {
  std::vector<Span> spans;  // The line's in [0, n), the next line's after.
  // The next line's spans, when it was scanned ahead (kRefused: it does
  // not qualify), or kNone.
  static constexpr size_t kNone = kRefused - 1;
  size_t next_count = kNone;
};

bool FastIdEncoder::Encode(std::string_view line, std::vector<int>* ids) const {
  if (output_ != Output::kIds) return false;  // This one keeps text.
  IdSink sink(ids);
  thread_local LineState state;
  return EncodeLine(line, {}, &state, &sink);
}

bool FastIdEncoder::EncodeText(std::string_view line, std::string* out) const {
  if (output_ == Output::kIds) return false;  // This one keeps ids.
  TextSink sink(out, line.size(), output_ == Output::kPieces);
  thread_local LineState state;
  if (!EncodeLine(line, {}, &state, &sink)) {
    sink.Abandon();
    return false;
  }
  sink.Finish();
  return true;
}

bool FastIdEncoder::EncodeLines(const std::string_view* lines, size_t n, std::vector<int>* ids,
                                absl::FunctionRef<bool(size_t)> refused) const {
  if (output_ != Output::kIds) return RefuseAll(n, refused);
  // (Not the state of Encode(), which `refused` may call.)
  thread_local LineState state;
  state.next_count = LineState::kNone;
  for (size_t i = 0; i < n; ++i) {
    IdSink sink(&ids[i]);
    const std::string_view next = i + 1 < n ? lines[i + 1] : std::string_view();
    if (EncodeLine(lines[i], next, &state, &sink)) continue;
    if (!refused(i)) {
      state.next_count = LineState::kNone;
      return false;
    }
  }
  return true;
}

bool FastIdEncoder::EncodeTextLines(const std::string_view* lines, size_t n, std::string* out,
                                    absl::FunctionRef<bool(size_t)> refused) const {
  if (output_ == Output::kIds) return RefuseAll(n, refused);
  thread_local LineState state;
  state.next_count = LineState::kNone;
  for (size_t i = 0; i < n; ++i) {
    TextSink sink(out, lines[i].size(), output_ == Output::kPieces);
    const std::string_view next = i + 1 < n ? lines[i + 1] : std::string_view();
    if (EncodeLine(lines[i], next, &state, &sink)) {
      sink.Finish();
      continue;
    }
    sink.Abandon();
    if (!refused(i)) {
      state.next_count = LineState::kNone;
      return false;
    }
  }
  return true;
}

bool FastIdEncoder::RefuseAll(size_t n, absl::FunctionRef<bool(size_t)> refused) {
  for (size_t i = 0; i < n; ++i) {
    if (!refused(i)) return false;
  }
  return true;
}

template <typename Sink>
bool FastIdEncoder::EncodeLine(std::string_view line, std::string_view next, LineState* state,
                               Sink* sink) const {
  // (A line scanned ahead is used up either way.)
  const size_t scanned = std::exchange(state->next_count, LineState::kNone);
  if (!enabled_) return false;
  if (unigram_ == nullptr && model_.vocab().has_unused()) return false;
  // A BPE model's first short texts go the full path, which encodes them
  // without building its tables (BpeModel::tables_ready()); the splitter
  // is one of them.
  if (bpe_ != nullptr && !bpe_->tables_ready()) return false;
  WordCache* cache = cache_.Get(model_.uid());
  const WordCache::Hints hints = cache->hints();
  // First the words of the line, checked for everything that can be
  // checked without segmenting, so that a line the fast path refuses costs
  // little; and their hashes, so that the cache lookups of the words ahead
  // can be prefetched while a word is handled (a lookup misses the CPU
  // caches about as often as there are distinct words). Then those of the
  // next line, when there is one: the lookups of this line's last words
  // prefetch for the next line's first ones, which otherwise waited for
  // their slots (lines of ~20 words: a third of all words are among the
  // first eight of a line).
  const bool warm = scanned != LineState::kNone;  // First entries hinted already.
  const size_t num_spans = warm ? scanned : ScanLine(line, hints, &state->spans, 0);
  if (num_spans == kRefused) return false;
  size_t horizon = num_spans;  // Spans that can be looked ahead into.
  size_t num_next = 0;
  if (!next.empty()) {
    state->next_count = ScanLine(next, hints, &state->spans, num_spans);
    if (state->next_count != kRefused) num_next = state->next_count;
    horizon += num_next;
  }
  // The hints below look ahead of the word at hand up to one span past
  // the horizon, a hash 0 (clearing kSlotAhead spans of padding instead
  // cost ~6 instructions a word; leaving there what earlier lines left
  // sent a line of few words prefetching dozens of stale slots).
  std::vector<Span>& spans = state->spans;
  if (spans.size() <= horizon) spans.resize(horizon + 1);
  spans[horizon].hash = 0;
  const bool ok = EmitLine(line, spans.data(), num_spans, horizon, warm, cache, hints, sink);
  // The next line's spans to the front, for the next call.
  if (num_next > 0) std::memmove(spans.data(), spans.data() + num_spans, num_next * sizeof(Span));
  return ok;
}

template <typename Sink>
bool FastIdEncoder::EmitLine(std::string_view line, const Span* span, size_t num_spans,
                             size_t horizon, bool warm, WordCache* cache,
                             const WordCache::Hints& hints, Sink* sink) const {
  auto ahead = [horizon](size_t k) { return std::min(k, horizon); };
  if (!warm) {
    for (size_t i = 0; i < kEntryAhead; ++i) hints.Entry(span[ahead(i)].hash);
  }
  thread_local std::vector<uint64_t> uncached;
  thread_local std::string key_storage;
  float base = 0.0f;  // Unigram: the reference's path score so far.
  // How the previous word ended, as Word::edges bits: kSafeEnd (the edge
  // before this word's `▁` is safe), kEndsUnknown (its last unit an
  // unknown piece that a next one joins), kSpaceEnd (see WordEnd). Other
  // bits are ignored. (One byte, copied from a cached word's header.)
  uint8_t last = Word::kSafeEnd;
  // A word segmented on the spot, from and back into `last`.
  auto uncached_word = [&](std::string_view word, size_t lead) {
    bool prev_unknown = (last & Word::kEndsUnknown) != 0;
    WordEnd end{(last & Word::kSafeEnd) != 0, (last & Word::kSpaceEnd) != 0};
    if (!UncachedWord(word, lead, &base, sink->Uncached(), &prev_unknown, &end)) return false;
    sink->Flush();
    last = (prev_unknown ? Word::kEndsUnknown : 0) | (end.safe_before ? Word::kSafeEnd : 0) |
           (end.space_end ? Word::kSpaceEnd : 0);
    return true;
  };
  for (size_t k = 0; k < num_spans; ++k) {
    // No piece may cross the edge before this word's `▁`.
    if ((last & Word::kSafeEnd) == 0) return false;
    hints.Slot(span[ahead(k + kSlotAhead)].hash);
    hints.Entry(span[ahead(k + kEntryAhead)].hash);
    const std::string_view word = Slice(line, span[k].begin, span[k].end);
    const uint64_t hash = span[k].hash;
    const size_t lead = span[k].lead;
    if (!span[k].cached) {
      if (!uncached_word(word, lead)) return false;
      continue;
    }
    const std::string_view key =
        lead != 1 ? KeyOf(line, span[k].begin, span[k].end, lead, &key_storage) : word;
    const WordCache::Entry* e =
        lead != 1 || word.size() > kShortWordBytes
            ? cache->Find(key, hash)
            : cache->FindShort(span[k].short_bytes, word.size(), hash);
    const Word* w;
    if (e != nullptr) {
      w = static_cast<const Word*>(e->value());
    } else {
      // A full or busy cache (Insert() gives null) still takes the fast
      // path, uncached.
      hints.SlotForWrite(hash);
      const size_t value_words = Analyze(word, lead, &uncached);
      e = cache->Insert(key, hash, uncached.data(), value_words * 8);
      w = e != nullptr ? static_cast<const Word*>(e->value())
                       : reinterpret_cast<const Word*>(uncached.data());
    }
    if ((w->edges & Word::kPlain) != 0 &&
        (unigram_ == nullptr || w->HoldsAfterPlain(base))) {
      // The common case, in one test.
      if (unigram_ != nullptr) base = w->AddPlainScores(base);
    } else {
      if (!w->usable) return false;
      if ((w->edges & Word::kVanishes) != 0) continue;
      if (unigram_ != nullptr) {
        if (!w->HoldsAfter(base)) {
          // Too close to call from the cached run: redo this word's Viterbi
          // from the exact base, as the whole-line pass computes it.
          if (!uncached_word(word, lead)) return false;
          continue;
        }
        base = w->AddScores(base);
      }
    }
    static_assert(Word::kEndsUnknown == 2 * Word::kStartsUnknown, "join test below");
    sink->Cached(*w, ((last >> 1) & w->edges & Word::kStartsUnknown) != 0);
    last = w->edges;
  }
  // A space ending the last word is trailing whitespace: the line drops
  // it, and with it whatever `▁` comes before.
  return (last & Word::kSpaceEnd) == 0;
}


}  // namespace sentencepiece
