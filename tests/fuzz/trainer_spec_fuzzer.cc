// Fuzzes the trainer's option parsing: "--key=value ..." strings through
// SentencePieceTrainer::MergeSpecsFromArgs (every TrainerSpec and
// NormalizerSpec field by reflection: numbers, bools, enums, repeated
// strings), single fields through SetProtoField and
// PopulateModelTypeFromString, and the merged spec through the checks made
// before training (VerifyTrainerSpec, LayoutMetaPieces).
//
// Input: option text (cut to 4 KB). Seeds: spm_train command lines of the
// bundled models (testdata/models/MODELS.tsv) and edge cases.
// Checks: errors are statuses with a message; a meta-piece layout that is
// accepted has exactly one unknown piece, at unk_id, and no special id at or
// past vocab_size.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_util.h"
#include "sentencepiece_model.pb.h"
#include "sentencepiece_trainer.h"
#include "trainer/spec_validation.h"
#include "trainer/training_log.h"

namespace sentencepiece {
namespace fuzz {
namespace {

int FuzzTrainerSpec(FuzzInput& in) {
  const std::string_view args = in.Take(4096);
  SetContext("trainer options", args);
  training_log::SetMinLogLevel(2);

  TrainerSpec trainer;
  NormalizerSpec normalizer, denormalizer;
  const util::Status s = SentencePieceTrainer::MergeSpecsFromArgs(args, &trainer, &normalizer,
                                                                  &denormalizer);
  training_log::SetMinLogLevel(2);  // The options may have changed it.
  FUZZ_CHECK(s.ok() || std::string(s.message()).size() > 0, "an error without a message");
  if (s.ok()) {
    const absl::Status verified = VerifyTrainerSpec(trainer);
    FUZZ_CHECK(verified.ok() || !verified.message().empty(), "an error without a message");
    auto layout = LayoutMetaPieces(trainer);
    if (layout.ok()) {
      // (Symbols and byte pieces may still land past vocab_size: training
      // refuses that later, "Vocabulary size is smaller than ...".)
      int unknown = 0;
      for (const auto& [id, piece] : *layout) {
        FUZZ_CHECK(id >= 0, "negative meta piece id " + std::to_string(id));
        if (piece.second == ModelProto::SentencePiece::UNKNOWN) {
          ++unknown;
          FUZZ_CHECK(id == trainer.unk_id(), "the unknown piece is not at unk_id");
        }
      }
      FUZZ_CHECK(unknown == 1, "meta pieces with " + std::to_string(unknown) + " unknown pieces");
      for (int id : {trainer.unk_id(), trainer.bos_id(), trainer.eos_id(), trainer.pad_id()}) {
        FUZZ_CHECK(id < trainer.vocab_size(), "special id " + std::to_string(id) +
                                                  " accepted past vocab_size");
      }
    }
  }

  // The same text as one field: "name=value" or "name value".
  const size_t sep = args.find_first_of("= ");
  const std::string_view name = args.substr(0, sep);
  const std::string_view value = sep == std::string_view::npos ? "" : args.substr(sep + 1);
  TrainerSpec t;
  SentencePieceTrainer::SetProtoField(name, value, &t).IgnoreError();
  NormalizerSpec n;
  SentencePieceTrainer::SetProtoField(name, value, &n).IgnoreError();
  SentencePieceTrainer::PopulateModelTypeFromString(value, &t).IgnoreError();
  return 0;
}

}  // namespace
}  // namespace fuzz
}  // namespace sentencepiece

SPM_FUZZ_TARGET(FuzzTrainerSpec)
