// The checks a TrainerSpec must pass before training (SentencePiece 0.1.97's
// VerifySpec), and the layout of the meta pieces it asks for.

#ifndef SPM_SRC_TRAINER_SPEC_VALIDATION_H_
#define SPM_SRC_TRAINER_SPEC_VALIDATION_H_

#include <map>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "sentencepiece_model.pb.h"

namespace sentencepiece {

// InvalidArgument, naming the option and its value, unless:
// vocab_size > 0; character_coverage in [0.98, 1]; max_sentencepiece_length
// in [1, 512]; num_sub_iterations in [1, 10]; num_threads in [1, 128];
// self_test_sample_size in [0, 1000]; shrinking_factor in [0.5, 0.95];
// max_sentence_length in [10, 2^30]; input_sentence_size 0 or > 100;
// unk/bos/eos/pad pieces non-empty; input_format "", "text" or "tsv";
// use_all_vocab only for WORD/CHAR ("--use_all_vocab=true is valid for
// WORD/CHAR model.").
absl::Status VerifyTrainerSpec(const TrainerSpec& spec);

// id -> (piece, type) for the pieces placed before any learned piece.
using MetaPieces = std::map<int, std::pair<std::string, ModelProto::SentencePiece::Type>>;

// Lays out the meta pieces as the reference does:
//   * unk, bos, eos, pad at their ids (a negative id leaves the piece out);
//     the unk piece gets type UNKNOWN, the others CONTROL;
//   * then control_symbols (CONTROL), user_defined_symbols (USER_DEFINED)
//     and, with byte_fallback, <0x00>..<0xFF> (BYTE), each at the lowest
//     free id; a symbol equal to the bos/eos/pad piece (with id >= 0) only
//     changes that piece's type.
// Errors (InvalidArgument): an id >= vocab_size, two pieces on one id, a
// second unk piece, no unk ("<unk> must be defined."), a duplicated symbol
// ("X is already defined."), the unk piece among the symbols.
// Example (defaults, --user_defined_symbols=foo):
//   {0: <unk> UNKNOWN, 1: <s> CONTROL, 2: </s> CONTROL, 3: foo USER_DEFINED}
absl::StatusOr<MetaPieces> LayoutMetaPieces(const TrainerSpec& spec);

// "<0xAB>": the piece of a byte.
std::string BytePiece(unsigned char byte);

}  // namespace sentencepiece

#endif  // SPM_SRC_TRAINER_SPEC_VALIDATION_H_
