// CHAR model: one piece per character (user-defined symbols kept whole).

#ifndef SPM_SRC_ENCODER_CHAR_MODEL_H_
#define SPM_SRC_ENCODER_CHAR_MODEL_H_

#include "encoder/model.h"

namespace sentencepiece {

class CharModel : public Model {
 public:
  static absl::StatusOr<std::unique_ptr<Model>> Create(const ModelProto& proto,
                                                       Vocabulary vocab);
  void Encode(std::string_view normalized, EncodeResult* out) const override;

 private:
  using Model::Model;
};

}  // namespace sentencepiece

#endif  // SPM_SRC_ENCODER_CHAR_MODEL_H_
