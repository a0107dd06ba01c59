// Turning training results into a ModelProto, and writing <prefix>.model
// and <prefix>.vocab.
//
// Layout (as SentencePiece 0.1.97 lays it out): for ids 0..vocab_size-1,
// the meta piece placed at that id (score 0, its type) or else the next
// learned piece (piece and score only; type NORMAL is left unset). Then the
// trainer spec, the normalizer spec, the denormalizer spec if a
// denormalization TSV was given, and the self-test samples encoded with the
// new model.
//
// The two files are written together: both go to temporary files beside
// their targets first, and are renamed into place only when both are
// complete, so a failed or killed run leaves neither a partial file nor a
// .model without its .vocab.

#ifndef SPM_SRC_TRAINER_MODEL_WRITER_H_
#define SPM_SRC_TRAINER_MODEL_WRITER_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "sentencepiece_model.pb.h"
#include "trainer/spec_validation.h"

namespace sentencepiece {

// A learned piece and its score.
using ScoredPiece = std::pair<std::string, float>;

struct TrainingResult {
  TrainerSpec trainer_spec;  // vocab_size may be rewritten (see below).
  NormalizerSpec normalizer_spec;
  NormalizerSpec denormalizer_spec;
  MetaPieces meta_pieces;
  std::vector<ScoredPiece> pieces;  // In id order, meta pieces excluded.
  std::vector<std::string> self_test_samples;
};

// Builds the model. vocab_size becomes the real piece count for CHAR models
// and with hard_vocab_limit=false. Errors (InvalidArgument): fewer pieces
// than vocab_size with a hard limit ("Vocabulary size too high (V). Please
// set it to a value <= N."); an empty, duplicated ("X is already defined.")
// or invalid UTF-8 piece.
absl::StatusOr<ModelProto> BuildModel(const TrainingResult& result);

// The .vocab text: one "piece<TAB>score" line per piece in id order (the
// score as C++ streams print a float: "-3.12473", "0", "-0"), or just the
// piece without scores.
std::string VocabText(const ModelProto& model, bool with_scores);

// Writes <prefix>.model and <prefix>.vocab (see above). Errors name the file.
absl::Status WriteModelFiles(const std::string& prefix, const ModelProto& model);

}  // namespace sentencepiece

#endif  // SPM_SRC_TRAINER_MODEL_WRITER_H_
