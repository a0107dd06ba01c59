#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "encoder/bpe_model.h"
#include "encoder/char_model.h"
#include "encoder/model.h"
#include "encoder/unigram_model.h"
#include "encoder/word_model.h"

namespace sentencepiece {

absl::StatusOr<std::unique_ptr<Model>> CreateModel(const ModelProto& proto) {
  switch (proto.trainer_spec().model_type()) {
    case TrainerSpec::UNIGRAM:
      return UnigramModel::Create(proto);
    case TrainerSpec::BPE:
      return BpeModel::Create(proto);
    case TrainerSpec::WORD:
      return WordModel::Create(proto);
    case TrainerSpec::CHAR:
      return CharModel::Create(proto);
  }
  return absl::InternalError(
      absl::StrCat("Unknown model_type: ", proto.trainer_spec().model_type()));
}

}  // namespace sentencepiece
