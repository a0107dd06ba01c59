// WORD model: the text split before each `▁`; each word is one piece.
//
// As in the reference, splitting is always in prefix mode (a word starts at
// each `▁`), even for treat_whitespace_as_suffix models, and user-defined
// symbols get no special treatment.

#ifndef SPM_SRC_ENCODER_WORD_MODEL_H_
#define SPM_SRC_ENCODER_WORD_MODEL_H_

#include <string_view>
#include <vector>

#include "encoder/model.h"

namespace sentencepiece {

class WordModel : public Model {
 public:
  static absl::StatusOr<std::unique_ptr<Model>> Create(const ModelProto& proto,
                                                       Vocabulary vocab);
  void Encode(std::string_view normalized, EncodeResult* out) const override;

 private:
  using Model::Model;
};

// Splits `text` into words: "▁a▁b" -> ["▁a", "▁b"]; "a▁▁b" -> ["a", "▁", "▁b"].
std::vector<std::string_view> SplitIntoWords(std::string_view text);

}  // namespace sentencepiece

#endif  // SPM_SRC_ENCODER_WORD_MODEL_H_
