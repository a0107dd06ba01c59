// Reading the training corpus: input lines -> sentences with frequencies.
//
// Lines come from the input files in order (or from a caller's iterator).
// With input_format=tsv each line is "sentence<TAB>freq" (freq an integer
// >= 1); otherwise each line is one sentence with freq 1. Then, as in
// SentencePiece 0.1.97:
//   * empty sentences are skipped;
//   * sentences longer than max_sentence_length bytes are skipped (counted,
//     with one warning);
//   * sentences containing U+2585 (the trainer's unknown-character mark) are
//     skipped;
//   * every remaining sentence is offered to the self-test reservoir
//     (self_test_sample_size slots, seeded from the global seed);
//   * with input_sentence_size = N > 0: with shuffle_input_sentence, a
//     reservoir sample of N sentences (mt19937 seeded 12345678, the
//     reference's draws exactly, so the same lines are kept); without, the
//     first N sentences, and reading stops there.

#ifndef SPM_SRC_TRAINER_SENTENCE_LOADER_H_
#define SPM_SRC_TRAINER_SENTENCE_LOADER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "sentencepiece_model.pb.h"
#include "trainer/corpus_preprocessor.h"
#include "trainer/sentence_store.h"

namespace sentencepiece {

// A source of input lines.
class LineSource {
 public:
  virtual ~LineSource() = default;
  // Reads the next line into *line; false at the end or on an error.
  virtual bool ReadLine(std::string* line) = 0;
  // Non-OK after an error.
  virtual absl::Status status() const = 0;
  // Progress: input bytes consumed and expected (0 if unknown).
  virtual uint64_t bytes_read() const { return 0; }
  virtual uint64_t total_bytes() const { return 0; }
};

// Lines of `files`, one file after the other ('\n'-separated, a '\r' before
// it kept). A file that cannot be opened ends the input with its error
// (NotFound "\"<file>\": No such file or directory").
std::unique_ptr<LineSource> NewFileLineSource(std::vector<std::string> files);

struct LoadedCorpus {
  SentenceStore sentences;                  // Selected sentences, raw.
  std::vector<std::string> self_test_samples;
  uint64_t accepted = 0;   // Sentences offered to the selection.
  uint64_t too_long = 0;   // Skipped for max_sentence_length.
};

// Reads `source` as described above. With `normalizer`, the kept sentences
// come out normalized (SentenceNormalizer; empty ones not yet removed):
// without sampling they are normalized batch by batch as they are read, so
// the raw corpus is never held whole. Errors: the source's error;
// InvalidArgument for a bad TSV line ("Input format must be: word <tab>
// freq. <line>", "Could not parse the frequency: <line>", "The frequency
// must be >= 1: <line>").
absl::StatusOr<LoadedCorpus> LoadSentences(const TrainerSpec& spec, LineSource* source,
                                           const SentenceNormalizer* normalizer = nullptr);

}  // namespace sentencepiece

#endif  // SPM_SRC_TRAINER_SENTENCE_LOADER_H_
