// Counting the words of a corpus (SplitIntoWordsForTraining on each
// sentence), weighted by sentence frequency.

#ifndef SPM_SRC_TRAINER_WORD_COUNTER_H_
#define SPM_SRC_TRAINER_WORD_COUNTER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "trainer/sentence_store.h"

namespace sentencepiece {

// word -> summed frequency, split into shards with disjoint words (one per
// counting thread, so that no merged copy is ever built). The words view
// the counted sentences, which must outlive this.
class WordCounts {
 public:
  using Map = absl::flat_hash_map<std::string_view, int64_t>;
  explicit WordCounts(int shards = 1) : shards_(shards) {}

  size_t size() const;
  template <typename Fn>  // fn(std::string_view word, int64_t count)
  void ForEach(Fn fn) const {
    for (const Map& m : shards_) {
      for (const auto& [w, n] : m) fn(w, n);
    }
  }
  // Adds `n` to `word` (in shard 0; for callers counting on one thread).
  void Add(std::string_view word, int64_t n) { shards_[0][word] += n; }

 private:
  friend WordCounts CountWords(const SentenceStore&, bool, bool, int);
  std::vector<Map> shards_;
};

// Counts the words of `sentences` on `threads` threads: each thread reads
// every sentence and counts the words whose hash falls in its shard.
WordCounts CountWords(const SentenceStore& sentences, bool treat_whitespace_as_suffix,
                      bool allow_whitespace_only_pieces, int threads);

// The entries of `counts` by frequency descending, then word ascending
// (byte order): the order the reference's trainers use.
std::vector<std::pair<std::string_view, int64_t>> SortByFrequency(const WordCounts& counts);

}  // namespace sentencepiece

#endif  // SPM_SRC_TRAINER_WORD_COUNTER_H_
