// Preparing loaded sentences for a trainer (SentencePiece 0.1.97's steps
// after reading): normalization, the character set, and the marking of
// characters left out of it.
//
//   NormalizeSentences:   "Hello  World" -> "▁Hello▁World" (with nmt_nfkc),
//                         meta pieces (<s>, user symbols, ...) -> TAB
//   SelectCharacters:     the characters to keep, by character_coverage
//   MarkUnknownCharacters: every other character -> U+2585
//
// The Unigram, BPE, char and word trainers all start from the result.

#ifndef SPM_SRC_TRAINER_CORPUS_PREPROCESSOR_H_
#define SPM_SRC_TRAINER_CORPUS_PREPROCESSOR_H_

#include <cstdint>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "normalizer/normalizer.h"
#include "normalizer/prefix_matcher.h"
#include "sentencepiece_model.pb.h"
#include "trainer/sentence_store.h"
#include "trainer/spec_validation.h"

namespace sentencepiece {

inline constexpr char32_t kUnknownChar = 0x2585;  // Marks characters left out.
inline constexpr char32_t kBoundaryChar = U'\t';  // Replaces meta pieces.

// Normalizes sentences with a model's normalizer and replaces each
// occurrence of a meta piece string (longest match) by TAB.
class SentenceNormalizer {
 public:
  // `normalizer` must outlive the result.
  static absl::StatusOr<SentenceNormalizer> Create(const Normalizer& normalizer,
                                                   const MetaPieces& meta_pieces, int threads);
  // Appends the normalized sentences of `in`, in order, to *out (on the
  // threads given to Create).
  void Normalize(const SentenceStore& in, SentenceStore* out) const;
  int threads() const { return threads_; }

 private:
  SentenceNormalizer(const Normalizer& n, PrefixMatcher m, int threads)
      : normalizer_(&n), matcher_(std::move(m)), threads_(threads) {}
  const Normalizer* normalizer_;
  PrefixMatcher matcher_;
  int threads_;
};

// Removes empty sentences as the reference does: an empty sentence is
// swapped with the last one and the list shortened, and the swapped-in
// sentence is not looked at again (so an empty one may stay; the order of
// sentences matters to the Unigram trainer). Errors: InvalidArgument
// "Normalized string must not include spaces" (escape_whitespaces off).
absl::Status RemoveEmptySentences(SentenceStore* sentences);

// SentenceNormalizer over all of *sentences, then RemoveEmptySentences.
absl::Status NormalizeSentences(const Normalizer& normalizer, const MetaPieces& meta_pieces,
                                int threads, SentenceStore* sentences);

// The character set of a corpus.
struct CharacterSet {
  // Kept characters with their counts (sentence frequency weighted), by
  // count descending, then code point (required characters are chosen
  // first but sorted like the others).
  std::vector<std::pair<char32_t, int64_t>> chars;
  absl::flat_hash_set<char32_t> members;
  int64_t all_chars_count = 0;  // All counted characters (TAB included).
  bool contains(char32_t c) const { return members.contains(c); }
};

// Counts every character of every sentence (times its frequency; invalid
// and NUL characters skipped), then keeps characters in the order above
// while the coverage reached *before* adding one is below
// character_coverage (all of them with use_all_vocab). required_chars are
// always first; TAB is counted but never kept. Errors: InvalidArgument for
// an invalid code point in required_chars.
absl::StatusOr<CharacterSet> SelectCharacters(const TrainerSpec& spec,
                                              const SentenceStore& sentences, int threads);

// Replaces every character not in `chars` by U+2585.
// Runs on `threads` threads.
void MarkUnknownCharacters(const CharacterSet& chars, SentenceStore* sentences, int threads);

}  // namespace sentencepiece

#endif  // SPM_SRC_TRAINER_CORPUS_PREPROCESSOR_H_
