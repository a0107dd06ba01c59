#include "trainer/bpe_merger.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/utf8.h"
#include "trainer/parallel.h"

namespace sentencepiece {
namespace {

constexpr char32_t kUnknownChar = 0x2585;
// Below this many words a merge runs on the calling thread only.
constexpr size_t kParallelWords = 4096;
// Words rewritten between two applications of their count changes.
constexpr size_t kChunkWords = 1 << 16;

}  // namespace

BpeMerger::BpeMerger(const PieceValidator& validator, int threads)
    : validator_(validator), threads_(std::max(1, threads)), heap_(HeapLess{this}) {}

int32_t BpeMerger::CharSymbol(char32_t c) {
  auto [it, inserted] = char_ids_.emplace(c, static_cast<int32_t>(symbols_.size()));
  if (inserted) {
    Symbol s;
    utf8::Append(c, &s.text);
    s.chars.push_back(c);
    s.unknown = c == kUnknownChar;
    symbols_.push_back(std::move(s));
  }
  return it->second;
}

void BpeMerger::AddWord(std::string_view word, int64_t freq) {
  Word w{seq_.size(), 0, kNone, freq};
  for (size_t pos = 0; pos < word.size();) {
    size_t len;
    const char32_t c = utf8::Decode(word.substr(pos), &len);
    pos += len;
    seq_.push_back(CharSymbol(c));
    ++w.length;
  }
  if (w.length > 0) words_.push_back(w);
}

bool BpeMerger::CanForm(Key key) {
  const auto cached = validity_.find(key);
  if (cached != validity_.end()) return cached->second;
  const Symbol& l = symbols_[Left(key)];
  const Symbol& r = symbols_[Right(key)];
  bool valid = false;
  if (!l.unknown && !r.unknown) {
    std::u32string chars = l.chars;
    chars += r.chars;
    valid = validator_.IsValid(chars);
  }
  validity_.emplace(key, valid);
  return valid;
}

BpeMerger::Pair* BpeMerger::FindOrCreatePair(Key key) {
  if (const auto it = pair_index_.find(key); it != pair_index_.end()) return &pairs_[it->second];
  if (!CanForm(key)) return nullptr;
  uint32_t slot;
  if (free_pairs_.empty()) {
    slot = static_cast<uint32_t>(pairs_.size());
    pairs_.emplace_back();
  } else {
    slot = free_pairs_.back();
    free_pairs_.pop_back();
    pairs_[slot] = Pair();
  }
  pair_index_.emplace(key, slot);
  return &pairs_[slot];
}

void BpeMerger::AddWordToPair(Pair* p, uint32_t word) {
  if (p->first_word == kNone) {
    p->first_word = word;
    return;
  }
  if (p->tail == kNone || p->tail_fill == kBlockEntries) {
    uint32_t b;
    if (free_block_ != kNone) {
      b = free_block_;
      free_block_ = block(b);
    } else {
      b = blocks_used_;
      blocks_used_ += kBlockEntries + 1;
      if ((b >> kChunkShift) == chunks_.size()) {
        chunks_.emplace_back(new uint32_t[size_t{1} << kChunkShift]);
      }
    }
    block(b) = kNone;
    if (p->tail == kNone) {
      p->head = b;
    } else {
      block(p->tail) = b;
    }
    p->tail = b;
    p->tail_fill = 0;
  }
  block(p->tail + 1 + p->tail_fill++) = word;
}

template <typename Fn>
void BpeMerger::ForEachWord(const Pair& p, Fn fn) const {
  if (p.first_word == kNone) return;
  fn(p.first_word);
  for (uint32_t b = p.head; b != kNone; b = block(b)) {
    const int n = b == p.tail ? p.tail_fill : kBlockEntries;
    for (int i = 0; i < n; ++i) fn(block(b + 1 + i));
  }
}

void BpeMerger::ReleasePair(Key key) {
  const auto it = pair_index_.find(key);
  if (it == pair_index_.end()) return;
  FreeList(&pairs_[it->second]);
  free_pairs_.push_back(it->second);
  pair_index_.erase(it);
}

void BpeMerger::FreeList(Pair* p) {
  for (uint32_t b = p->head; b != kNone;) {
    const uint32_t next = block(b);
    block(b) = free_block_;
    free_block_ = b;
    b = next;
  }
  p->first_word = p->head = p->tail = kNone;
  p->tail_fill = 0;
}

bool BpeMerger::Worse(const HeapEntry& a, const HeapEntry& b) const {
  if (a.count != b.count) return a.count < b.count;
  const Symbol& al = symbols_[Left(a.key)];
  const Symbol& ar = symbols_[Right(a.key)];
  const Symbol& bl = symbols_[Left(b.key)];
  const Symbol& br = symbols_[Right(b.key)];
  const size_t alen = al.chars.size() + ar.chars.size();
  const size_t blen = bl.chars.size() + br.chars.size();
  if (alen != blen) return alen > blen;
  // Compare the concatenations al+ar and bl+br byte-wise without building them.
  auto at = [](const Symbol& l, const Symbol& r, size_t i) -> unsigned char {
    return i < l.text.size() ? l.text[i] : r.text[i - l.text.size()];
  };
  const size_t an = al.text.size() + ar.text.size(), bn = bl.text.size() + br.text.size();
  for (size_t i = 0; i < std::min(an, bn); ++i) {
    const unsigned char x = at(al, ar, i), y = at(bl, br, i);
    if (x != y) return x > y;
  }
  if (an != bn) return an > bn;
  return a.key > b.key;
}

namespace {

// Calls emit(left, right, occurrences) for every adjacent pair of `s`,
// counting a run of k equal symbols as k/2 non-overlapping pairs.
template <typename Emit>
void ForEachPairCount(const int32_t* s, size_t n, Emit emit) {
  size_t i = 0;
  while (i < n) {
    size_t j = i;
    while (j + 1 < n && s[j + 1] == s[i]) ++j;
    const size_t run = j - i + 1;
    if (run >= 2) emit(s[i], s[i], static_cast<int64_t>(run / 2));
    if (j + 1 < n) emit(s[j], s[j + 1], int64_t{1});
    i = j + 1;
  }
}

}  // namespace

void BpeMerger::MergeInWord(uint32_t w, int32_t left, int32_t right, int32_t merged,
                            std::vector<Delta>* out) {
  Word& word = words_[w];
  int32_t* s = seq_.data() + word.offset;
  const size_t n = word.length;
  // Quick check: does the word still contain the pair?
  bool found = false;
  for (size_t i = 0; i + 1 < n; ++i) {
    if (s[i] == left && s[i + 1] == right) {
      found = true;
      break;
    }
  }
  if (!found) return;
  const size_t first = out->size();
  auto touches = [&](int32_t a, int32_t b) {
    return a == left || a == right || a == merged || b == left || b == right || b == merged;
  };
  ForEachPairCount(s, n, [&](int32_t a, int32_t b, int64_t k) {
    if (touches(a, b)) out->push_back({MakeKey(a, b), w, static_cast<int32_t>(-k)});
  });
  size_t o = 0;
  for (size_t i = 0; i < n;) {
    if (i + 1 < n && s[i] == left && s[i + 1] == right) {
      s[o++] = merged;
      i += 2;
    } else {
      s[o++] = s[i++];
    }
  }
  word.length = static_cast<uint32_t>(o);
  ForEachPairCount(s, o, [&](int32_t a, int32_t b, int64_t k) {
    if (touches(a, b)) out->push_back({MakeKey(a, b), w, static_cast<int32_t>(k)});
  });
  // Combine the changes of this word.
  std::sort(out->begin() + first, out->end(),
            [](const Delta& x, const Delta& y) { return x.key < y.key; });
  size_t dst = first;
  for (size_t i = first; i < out->size();) {
    Delta d = (*out)[i++];
    while (i < out->size() && (*out)[i].key == d.key) d.occurrences += (*out)[i++].occurrences;
    if (d.occurrences != 0) (*out)[dst++] = d;
  }
  out->resize(dst);
}

void BpeMerger::CountInitialPairs() {
  for (uint32_t w = 0; w < words_.size(); ++w) {
    const Word& word = words_[w];
    const int32_t* s = seq_.data() + word.offset;
    ForEachPairCount(s, word.length, [&](int32_t a, int32_t b, int64_t k) {
      Pair* pp = FindOrCreatePair(MakeKey(a, b));
      if (pp == nullptr) return;
      Pair& p = *pp;
      if (p.count == 0 || p.first_word == kNone ||
          (p.tail == kNone ? p.first_word : block(p.tail + p.tail_fill)) != w) {
        AddWordToPair(&p, w);
      }
      p.count += k * word.freq;
    });
  }
  validity_.clear();
  std::vector<HeapEntry> entries;
  for (const auto& [key, index] : pair_index_) {
    entries.push_back({pairs_[index].count, key});
  }
  heap_ = std::priority_queue<HeapEntry, std::vector<HeapEntry>, HeapLess>(HeapLess{this},
                                                                          std::move(entries));
  training_log::Info(absl::StrCat("BPE: ", words_.size(), " words, ", seq_.size(),
                                  " symbols, ", pairs_.size(), " pairs, ",
                                  blocks_used_ / (kBlockEntries + 1), " list blocks",
                                  training_log::PeakMemory()));
}

std::vector<std::string> BpeMerger::Run(int max_merges, training_log::Progress* progress) {
  CountInitialPairs();
  std::vector<std::string> merges;
  std::vector<std::vector<Delta>> deltas(threads_);
  std::vector<uint32_t> visit;
  while (static_cast<int>(merges.size()) < max_merges && !heap_.empty()) {
    const HeapEntry top = heap_.top();
    heap_.pop();
    const auto it = pair_index_.find(top.key);
    if (it == pair_index_.end()) continue;
    Pair& best = pairs_[it->second];
    if (best.closed) continue;
    if (best.count != top.count) {  // Stale: its count went down since.
      if (best.count > 0) heap_.push({best.count, top.key});
      continue;
    }
    if (best.count <= 0) continue;
    const int32_t left = Left(top.key), right = Right(top.key);
    std::string text = symbols_[left].text + symbols_[right].text;
    best.closed = true;
    if (!emitted_.insert(text).second) {  // Same string through another path.
      FreeList(&best);
      continue;
    }
    last_frequency_ = best.count;
    const int32_t merged = static_cast<int32_t>(symbols_.size());
    {
      Symbol s;
      s.text = text;
      s.chars = symbols_[left].chars + symbols_[right].chars;
      symbols_.push_back(std::move(s));
    }
    merges.push_back(std::move(text));
    if (progress != nullptr) progress->Update(merges.size());

    // The words to visit, each once.
    const uint32_t stamp = static_cast<uint32_t>(merges.size());
    visit.clear();
    ForEachWord(best, [&](uint32_t w) {
      if (words_[w].stamp != stamp) {
        words_[w].stamp = stamp;
        visit.push_back(w);
      }
    });
    ReleasePair(top.key);  // All its occurrences are merged below.
    validity_.clear();  // New pairs all contain `merged`: old answers are not needed.
    // Words are processed in chunks, so the change lists stay small.
    std::vector<Key> fresh;
    for (size_t chunk = 0; chunk < visit.size(); chunk += kChunkWords) {
      const size_t chunk_end = std::min(visit.size(), chunk + kChunkWords);
      const int t = chunk_end - chunk >= kParallelWords ? threads_ : 1;
      ParallelFor(t, chunk_end - chunk, [&](size_t begin, size_t end, int index) {
        std::vector<Delta>& out = deltas[index];
        out.clear();
        for (size_t i = chunk + begin; i < chunk + end; ++i) {
          MergeInWord(visit[i], left, right, merged, &out);
        }
      });
      // Apply the changes; new pairs (with the merged symbol) get heap entries.
      for (int i = 0; i < t; ++i) {
        for (const Delta& d : deltas[i]) {
          if (d.key == top.key) continue;
          if (d.occurrences < 0 && !pair_index_.contains(d.key)) continue;  // Released.
          Pair* pp = FindOrCreatePair(d.key);
          if (pp == nullptr) continue;  // Not a valid piece.
          Pair& p = *pp;
          p.count += int64_t{d.occurrences} * words_[d.word].freq;
          if (d.occurrences > 0) {
            if (p.first_word == kNone) fresh.push_back(d.key);
            AddWordToPair(&p, d.word);
          } else if (p.count == 0) {
            ReleasePair(d.key);  // No occurrence left anywhere.
          }
        }
      }
    }
    for (Key k : fresh) {
      const auto f = pair_index_.find(k);
      if (f == pair_index_.end()) continue;
      const Pair& p = pairs_[f->second];
      if (!p.closed && p.count > 0) heap_.push({p.count, k});
    }
  }
  if (progress != nullptr) progress->Done();
  training_log::Info(absl::StrCat("BPE: ", merges.size(), " merges; ", pair_index_.size(),
                                  " pairs (", pairs_.size(), " slots), ",
                                  heap_.size(), " heap entries, ",
                                  blocks_used_ / (kBlockEntries + 1), " list blocks",
                                  training_log::PeakMemory()));
  return merges;
}

}  // namespace sentencepiece
