// FastIdEncoder's line loop (see fast_ids.h): a line's words found and
// hashed (ScanLine), then looked up in the word cache, new ones analyzed
// and inserted, and each word's output handed to a sink (EmitLine); one
// line at a time, or a run of lines, where each line's words are found
// while the line before is encoded (EncodeLines, EncodeTextLines).

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/slice.h"
#include "common/space_scan.h"
#include "encoder/bpe_model.h"
#include "encoder/fast_ids.h"
#include "encoder/fast_ids_output.h"
#include "encoder/word_cache.h"

namespace sentencepiece {

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
// itself; others under keys that hold spaces or separators, which no word
// does (words are split at them): lead 0 under the word and a space, more
// under that many spaces and the word. In the line, that is the word with
// the space or separator that ends it, or with the ones before it, where
// they are there; else a copy in *storage (spaces). A key says the same
// whichever separators it holds: each stands for one space.
std::string_view KeyOf(std::string_view line, size_t pos, size_t end, size_t lead,
                       std::string* storage) {
  if (lead == 0) {
    if (end < line.size()) return Slice(line, pos, end + 1);  // line[end] separates.
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
  // Spaces, and the bytes the normalizer turns into spaces on their own
  // (Normalizer::IsSeparator(): a tab or a carriage return under
  // nmt_nfkc), which are treated as spaces throughout: each normalizes as a
  // space there would, so the checks below, made for a space, hold for
  // them too.
  const bool* const separators = normalizer_.separators();
  auto is_space = [separators](char c) { return separators[static_cast<unsigned char>(c)]; };
  size_t first = 0;
  size_t stop = line.size();
  while (first < stop && is_space(line[first])) ++first;
  while (stop > first && is_space(line[stop - 1])) --stop;
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
  // The words are the runs between separators (one pass, no call per word).
  size_t word_begin = first;
  auto at_space = [&](size_t space) __attribute__((always_inline)) {
    const bool ok = space == word_begin || add_word(word_begin, space);
    word_begin = space + 1;
    return ok;
  };
  const bool scanned = normalizer_.HasOtherSeparators()
                           ? ForEachSeparator(line.data(), first, stop, separators, at_space)
                           : ForEachSpace(line.data(), first, stop, at_space);
  if (!scanned) return kRefused;
  if (!add_word(word_begin, stop)) return kRefused;  // line[stop - 1] is no separator.
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
  TextSink sink(out, line.size(), output_ == Output::kPieces, IdTextTableIfFree(1, &line));
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
  return EncodeRun(lines, n, &state, [ids](size_t i) { return IdSink(&ids[i]); }, refused);
}

bool FastIdEncoder::EncodeTextLines(const std::string_view* lines, size_t n, std::string* out,
                                    absl::FunctionRef<bool(size_t)> refused) const {
  if (output_ == Output::kIds) return RefuseAll(n, refused);
  // (Not the state of EncodeText(), which `refused` may call.)
  thread_local LineState state;
  const bool pieces = output_ == Output::kPieces;
  const IdTextTable* table = IdTextTableIfFree(n, lines);
  return EncodeRun(lines, n, &state,
                   [&](size_t i) { return TextSink(out, lines[i].size(), pieces, table); },
                   refused);
}

template <typename MakeSink>
bool FastIdEncoder::EncodeRun(const std::string_view* lines, size_t n, LineState* state,
                              MakeSink make_sink, absl::FunctionRef<bool(size_t)> refused) const {
  state->next_count = LineState::kNone;  // (What a run that stopped early left.)
  for (size_t i = 0; i < n; ++i) {
    auto sink = make_sink(i);
    const std::string_view next = i + 1 < n ? lines[i + 1] : std::string_view();
    if (EncodeLine(lines[i], next, state, &sink)) {
      sink.Finish();
      continue;
    }
    sink.Abandon();
    if (!refused(i)) return false;
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
  // (The trie's build decision counts the input: UnigramModel::NoteInput().)
  if (unigram_ != nullptr) unigram_->NoteInput(line.size());
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
  const double* const segment_scores = unigram_ != nullptr ? unigram_->SegmentScores() : nullptr;
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
        base = narrow_lanes_ ? w->AddSegmentScores<uint16_t>(segment_scores, base)
                             : w->AddSegmentScores<uint32_t>(segment_scores, base);
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
