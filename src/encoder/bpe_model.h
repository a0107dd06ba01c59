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

#include <vector>

#include "absl/container/flat_hash_map.h"
#include "encoder/model.h"

namespace sentencepiece {

class BpeModel : public Model {
 public:
  static absl::StatusOr<std::unique_ptr<Model>> Create(const ModelProto& proto);
  void Encode(std::string_view normalized, EncodeResult* out) const override;
  // Encode() skipping each merge with probability `dropout` (>= 1: no
  // merges at all), drawn from the thread's random generator.
  void SampleEncode(std::string_view normalized, float dropout, EncodeResult* out) const;

 private:
  using Model::Model;
  // Id among the non-reserved pieces of a single character, or -1.
  int CharId(std::string_view c) const;
  // Id of the piece left + right (concatenated in the text), or -1.
  int MergedId(int left_id, int right_id, std::string_view merged) const;
  // The id to output for non-reserved piece `id` (a reserved piece with the
  // same string wins, as in PieceToId()).
  int OutputId(int id) const { return output_id_[id]; }

  absl::flat_hash_map<uint64_t, int> char_ids_;  // Packed character -> id.
  std::vector<int> output_id_;
};

}  // namespace sentencepiece

#endif  // SPM_SRC_ENCODER_BPE_MODEL_H_
