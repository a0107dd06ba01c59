#include "trainer/word_counter.h"

#include <algorithm>

#include "trainer/parallel.h"
#include "trainer/training_log.h"
#include "trainer/word_split.h"

namespace sentencepiece {

size_t WordCounts::size() const {
  size_t n = 0;
  for (const Map& m : shards_) n += m.size();
  return n;
}

WordCounts CountWords(const SentenceStore& sentences, bool suffix, bool allow_ws_only,
                      int threads) {
  const int shards = EffectiveThreads(threads);
  WordCounts counts(shards);
  training_log::Progress progress("Counting words", sentences.size());
  ParallelFor(shards, shards, [&](size_t shard, size_t, int) {
    WordCounts::Map& m = counts.shards_[shard];
    const absl::Hash<std::string_view> hash;
    for (size_t i = 0; i < sentences.size(); ++i) {
      const int64_t freq = sentences.freq(i);
      for (std::string_view w :
           SplitIntoWordsForTraining(sentences.text(i), suffix, allow_ws_only)) {
        // The high bits: the map itself uses the low ones.
        if (shards == 1 || (hash(w) >> 40) % shards == shard) m[w] += freq;
      }
      if (shard == 0 && (i & 0xFFFF) == 0) progress.Update(i);
    }
  });
  progress.Done();
  return counts;
}

std::vector<std::pair<std::string_view, int64_t>> SortByFrequency(const WordCounts& counts) {
  std::vector<std::pair<std::string_view, int64_t>> v;
  v.reserve(counts.size());
  counts.ForEach([&v](std::string_view w, int64_t n) { v.emplace_back(w, n); });
  std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  return v;
}

}  // namespace sentencepiece
