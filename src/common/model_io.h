// Reading ModelProto files and bytes.
//
// Parsing only: whether the vocabulary makes sense is checked when a model is
// built from the proto (encoder/vocabulary.h).

#ifndef SPM_SRC_COMMON_MODEL_IO_H_
#define SPM_SRC_COMMON_MODEL_IO_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "sentencepiece_model.pb.h"

namespace sentencepiece {

// Parses serialized ModelProto bytes. `source` names where they came from,
// for the error message (a file name, or "bytes").
absl::StatusOr<std::unique_ptr<ModelProto>> ParseModelProto(std::string_view bytes,
                                                            std::string_view source);

// Reads and parses a .model file. Errors name the file.
absl::StatusOr<std::unique_ptr<ModelProto>> ReadModelProto(const std::string& path);

// One vocabulary entry as stored in a model: the fields of
// ModelProto.SentencePiece, with proto defaults for absent ones.
struct RawPiece {
  std::string_view piece;
  float score = 0.0f;
  ModelProto::SentencePiece::Type type = ModelProto::SentencePiece::NORMAL;
};

// The fast load path: splits serialized ModelProto bytes into the pieces
// (field 1), read in place (`piece` views point into `bytes`), and every
// other field, parsed into *rest with protobuf (its `pieces` stay empty).
// Parsing 30k small messages is most of what a full parse costs.
//
// Returns false, leaving *rest and *pieces unspecified, for anything it
// does not read exactly as protobuf would (malformed bytes, unknown fields
// or out-of-range enums in a piece, groups): callers then parse in full
// (ParseModelProto), which also gives the right error.
bool SplitModelProto(std::string_view bytes, ModelProto* rest, std::vector<RawPiece>* pieces);

// The pieces of a parsed proto, as views into it.
std::vector<RawPiece> PiecesOf(const ModelProto& proto);

}  // namespace sentencepiece

#endif  // SPM_SRC_COMMON_MODEL_IO_H_
