// The one entry point from training to the normalization rules.
//
// A trainer gets a NormalizerSpec that names a rule ("nmt_nfkc", "identity",
// ...) or points at a rule TSV; before training, the spec is completed with
// the compiled rule blob (`precompiled_charsmap`) that the model will carry.
// The built-in blobs and the TSV compiler live with the rule builder
// (src/trainer/charsmap_*, rule builder); this header is all the training
// pipeline needs from them.

#ifndef SPM_SRC_TRAINER_NORMALIZATION_RULES_H_
#define SPM_SRC_TRAINER_NORMALIZATION_RULES_H_

#include "absl/status/statusor.h"
#include "sentencepiece_model.pb.h"

namespace sentencepiece {

// Returns `requested` completed as SentencePiece 0.1.97's
// PopulateNormalizerSpec completes it:
//   * normalization_rule_tsv set: the TSV is compiled into
//     precompiled_charsmap and name becomes "user_defined"; it is an error
//     (InvalidArgument "precompiled_charsmap is already defined.") if the spec
//     already carries a charsmap;
//   * otherwise, for a normalizer (not a denormalizer): an empty name becomes
//     "nmt_nfkc", and an empty charsmap is filled with the built-in blob of
//     that name (NotFound "No precompiled charsmap is found: <name>" for an
//     unknown name; `identity` has an empty blob);
//   * a denormalizer without a TSV is returned unchanged.
// Other fields (add_dummy_prefix, ...) are kept as they are.
absl::StatusOr<NormalizerSpec> BuildNormalizerSpec(const NormalizerSpec& requested,
                                                   bool is_denormalizer);

}  // namespace sentencepiece

#endif  // SPM_SRC_TRAINER_NORMALIZATION_RULES_H_
