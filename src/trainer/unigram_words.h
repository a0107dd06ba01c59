// The Unigram trainer's view of the corpus: distinct words with counts.
//
// Every step of Unigram training works on word types instead of the corpus:
// with split_by_whitespace a valid piece never crosses a word boundary, so
// counting a substring inside each distinct word, times the word's count,
// gives its corpus frequency; without whitespace splitting the "words" are
// whole distinct sentences, which is still exact. A 1 GB corpus of English
// holds a few million distinct words; Chinese or Japanese lines (no spaces)
// are words of their own, and identical lines are merged.
//
// The seed step (unigram_seeds.h) also needs to know, for each word, which
// character followed it in its sentence: SentencePiece 0.1.97 builds its
// suffix array over whole sentences, so whether a substring ending at a
// word's end is "right-branching" depends on what comes after the word
// (`▁` of the next word, or the end of the sentence). `contexts` keeps
// (word, next character) pairs with their counts so the seeds come out as
// the reference's.

#ifndef SPM_SRC_TRAINER_UNIGRAM_WORDS_H_
#define SPM_SRC_TRAINER_UNIGRAM_WORDS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sentencepiece_model.pb.h"
#include "trainer/sentence_store.h"

namespace sentencepiece {

struct UnigramWords {
  // Word i is text[offsets[i], offsets[i+1]); its count is counts[i] (the
  // summed frequency of the sentences it occurs in, times occurrences).
  std::string text;
  std::vector<uint64_t> offsets{0};
  std::vector<int64_t> counts;

  // A word and the code point that followed it in a sentence (0: it ended
  // the sentence), with how often that happened.
  struct Context {
    uint32_t word;
    char32_t next;
    int64_t count;
  };
  std::vector<Context> contexts;

  size_t size() const { return counts.size(); }
  std::string_view word(size_t i) const {
    return std::string_view(text.data() + offsets[i], offsets[i + 1] - offsets[i]);
  }
};

// Splits every sentence into words (SplitIntoWordsForTraining with the
// spec's whitespace flags; whole sentences with split_by_whitespace=false)
// and counts the word types and their contexts on `threads` threads.
// Empties *sentences (its buffer is released once the words are copied).
// The words are in byte order (the E-step's chunks of words, and so the
// rounding of its sums, depend on it); the order of the contexts is
// unspecified.
UnigramWords CollectUnigramWords(const TrainerSpec& spec, int threads, SentenceStore* sentences);

}  // namespace sentencepiece

#endif  // SPM_SRC_TRAINER_UNIGRAM_WORDS_H_
