#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "encoder/bpe_model.h"
#include "encoder/char_model.h"
#include "encoder/model.h"
#include "encoder/unigram_model.h"
#include "encoder/word_model.h"

namespace sentencepiece {

absl::StatusOr<std::unique_ptr<Model>> CreateModel(const ModelProto& proto) {
  return CreateModel(proto, PiecesOf(proto));
}

absl::StatusOr<std::unique_ptr<Model>> CreateModel(const ModelProto& proto, RawPieces pieces) {
  if (!TrainerSpec::ModelType_IsValid(proto.trainer_spec().model_type())) {
    return absl::InternalError(
        absl::StrCat("Unknown model_type: ", proto.trainer_spec().model_type()));
  }
  ASSIGN_OR_RETURN(Vocabulary vocab,
                   Vocabulary::Create(std::move(pieces), proto.trainer_spec().byte_fallback()));
  switch (proto.trainer_spec().model_type()) {
    case TrainerSpec::UNIGRAM:
      return UnigramModel::Create(proto, std::move(vocab));
    case TrainerSpec::BPE:
      return BpeModel::Create(proto, std::move(vocab));
    case TrainerSpec::WORD:
      return WordModel::Create(proto, std::move(vocab));
    case TrainerSpec::CHAR:
      return CharModel::Create(proto, std::move(vocab));
  }
  return absl::InternalError(
      absl::StrCat("Unknown model_type: ", proto.trainer_spec().model_type()));
}

}  // namespace sentencepiece
