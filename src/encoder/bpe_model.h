// Byte-pair-encoding segmentation (Sennrich et al. 2016), as SentencePiece
// applies it: merges are not a ranked list but the vocabulary itself.
//
// Start from characters (user-defined symbols are single frozen symbols);
// repeatedly merge the adjacent pair whose concatenation is a piece with the
// highest score, the leftmost pair on ties, until no pair forms a piece.
// Merges that produce an UNUSED piece are undone at the end: such a piece is
// split back, recursively, into the two symbols it was made from.
//
// With `dropout` > 0 each merge is skipped with that probability
// (BPE-dropout, Provilkov et al. 2019, https://arxiv.org/abs/1910.13267).

#ifndef SPM_SRC_ENCODER_BPE_MODEL_H_
#define SPM_SRC_ENCODER_BPE_MODEL_H_

#include "encoder/model.h"

namespace sentencepiece {

class BpeModel : public Model {
 public:
  static absl::StatusOr<std::unique_ptr<Model>> Create(const ModelProto& proto);
  void Encode(std::string_view normalized, EncodeResult* out) const override {
    SampleEncode(normalized, 0.0f, out);
  }
  // Encode() skipping each merge with probability `dropout` (>= 1: no
  // merges at all), drawn from the thread's random generator.
  void SampleEncode(std::string_view normalized, float dropout, EncodeResult* out) const;

 private:
  using Model::Model;
};

}  // namespace sentencepiece

#endif  // SPM_SRC_ENCODER_BPE_MODEL_H_
