#include "encoder/fast_ids.h"

#include <cstring>

#include "absl/container/inlined_vector.h"
#include "common/utf8.h"
#include "encoder/bpe_model.h"
#include "encoder/unigram_model.h"
#include "encoder/word_cache.h"

namespace sentencepiece {

struct FastIdEncoder::Word {
  bool usable = false;       // Normalizes to itself; no control pieces.
  bool starts_unknown = false;  // First/last segment is a mergeable unknown.
  bool ends_unknown = false;
  absl::InlinedVector<int, 4> ids;
  // Unigram only: what replaying and reusing the Viterbi result needs.
  absl::InlinedVector<double, 4> scores;  // Per segment.
  double margin = 0;
  double magnitude = 0;
  uint32_t chars = 0;
};

FastIdEncoder::FastIdEncoder(const Normalizer& normalizer, const Model& model,
                             const ModelProto& proto)
    : normalizer_(normalizer), model_(model), unigram_(dynamic_cast<const UnigramModel*>(&model)) {
  const NormalizerSpec& ns = normalizer.spec();
  const bool supported_type = unigram_ != nullptr || dynamic_cast<const BpeModel*>(&model) != nullptr;
  enabled_ = supported_type && ns.add_dummy_prefix() && ns.escape_whitespaces() &&
             !proto.trainer_spec().treat_whitespace_as_suffix();
  remove_extra_whitespaces_ = ns.remove_extra_whitespaces();
}

FastIdEncoder::Word FastIdEncoder::Analyze(std::string_view word) const {
  Word w;
  if (!normalizer_.NormalizesToItself(word)) return w;
  thread_local std::string text;
  thread_local EncodeResult segments;
  thread_local UnigramModel::WordStats stats;
  text.assign(utf8::kSpaceSymbol.data(), utf8::kSpaceSymbol.size());
  text.append(word.data(), word.size());
  segments.clear();
  if (unigram_ != nullptr) {
    unigram_->Viterbi(text, 0, text.size(), 0.0f, &segments, &stats);
    w.margin = stats.margin;
    w.magnitude = stats.magnitude;
    w.chars = stats.chars;
    w.scores.assign(stats.scores.begin(), stats.scores.end());
  } else {
    model_.Encode(text, &segments);
  }
  const Vocabulary& v = model_.vocab();
  bool prev_unknown = false;
  for (size_t i = 0; i < segments.size(); ++i) {
    const EncodedPiece& seg = segments[i];
    if (v.IsControl(seg.id)) return Word();  // Rare; leave it to the full path.
    const bool unknown = v.IsUnknown(seg.id);
    if (unknown && v.byte_fallback()) {
      for (char b : seg.piece) w.ids.push_back(v.ByteToId(static_cast<unsigned char>(b)));
    } else if (!(unknown && prev_unknown)) {
      w.ids.push_back(seg.id);
    }
    if (i == 0) w.starts_unknown = unknown && !v.byte_fallback();
    prev_unknown = unknown;
  }
  w.ends_unknown = prev_unknown && !v.byte_fallback();
  w.usable = true;
  return w;
}

bool FastIdEncoder::ExactWord(std::string_view word, float* base, std::vector<int>* ids,
                              bool* prev_unknown) const {
  thread_local std::string text;
  thread_local EncodeResult segments;
  text.assign(utf8::kSpaceSymbol.data(), utf8::kSpaceSymbol.size());
  text.append(word.data(), word.size());
  segments.clear();
  *base = unigram_->Viterbi(text, 0, text.size(), *base, &segments, nullptr);
  const Vocabulary& v = model_.vocab();
  for (const EncodedPiece& seg : segments) {
    if (v.IsControl(seg.id)) return false;
    const bool unknown = v.IsUnknown(seg.id);
    if (unknown && v.byte_fallback()) {
      for (char b : seg.piece) ids->push_back(v.ByteToId(static_cast<unsigned char>(b)));
    } else if (!(unknown && *prev_unknown)) {
      ids->push_back(seg.id);
    }
    *prev_unknown = unknown && !v.byte_fallback();
  }
  return true;
}

bool FastIdEncoder::Encode(std::string_view line, std::vector<int>* ids) const {
  if (!enabled_ || line.empty() || line.front() == ' ' || line.back() == ' ') return false;
  // Removing extra whitespace also strips `▁` characters of the input at
  // the end of the text.
  if (remove_extra_whitespaces_ && line.size() >= 3 &&
      line.substr(line.size() - 3) == utf8::kSpaceSymbol) {
    return false;
  }
  if (unigram_ == nullptr && model_.vocab().has_unused()) return false;
  auto& cache = WordCache<Word>::ForThread(model_.uid());
  const WordSplitter& splitter = model_.splitter();
  float base = 0.0f;  // Unigram: the reference's path score so far.
  bool prev_unknown = false;
  size_t pos = 0;
  while (pos < line.size()) {
    const char* space =
        static_cast<const char*>(std::memchr(line.data() + pos, ' ', line.size() - pos));
    const size_t end = space == nullptr ? line.size() : space - line.data();
    if (end == pos) return false;  // Two spaces in a row.
    const std::string_view word = line.substr(pos, end - pos);
    if (pos > 0) {
      const auto last = static_cast<unsigned char>(line[pos - 2]);
      if (!normalizer_.SpaceIsolated(last, static_cast<unsigned char>(word[0])) ||
          !splitter.SafeBefore(last)) {
        return false;
      }
    }
    // Long words (unspaced scripts) gain nothing from this path.
    if (word.size() > WordCache<Word>::kMaxWordBytes) return false;
    const Word* w = cache.Find(word);
    thread_local Word uncached;
    if (w == nullptr) {
      // A full cache still takes the fast path, uncached.
      if (!cache.full()) {
        w = &cache.Insert(word, Analyze(word));
      } else {
        uncached = Analyze(word);
        w = &uncached;
      }
    }
    if (!w->usable) return false;
    if (unigram_ != nullptr) {
      if (UnigramModel::Reusable(w->margin, w->magnitude, w->chars, base)) {
        for (double s : w->scores) base = static_cast<float>(s + static_cast<double>(base));
      } else {
        // Too close to call from the cached run: redo this word's Viterbi
        // from the exact base, as the whole-line pass computes it.
        if (!ExactWord(word, &base, ids, &prev_unknown)) return false;
        pos = end + 1;
        continue;
      }
    }
    const bool skip_first = prev_unknown && w->starts_unknown;
    ids->insert(ids->end(), w->ids.begin() + (skip_first ? 1 : 0), w->ids.end());
    prev_unknown = w->ends_unknown;
    pos = end + 1;
  }
  return true;
}

}  // namespace sentencepiece
