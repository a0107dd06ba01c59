// Reading ModelProto files and bytes.
//
// Parsing only: whether the vocabulary makes sense is checked when a model is
// built from the proto (encoder/vocabulary.h).

#ifndef SPM_SRC_COMMON_MODEL_IO_H_
#define SPM_SRC_COMMON_MODEL_IO_H_

#include <cstdint>
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

// A model's vocabulary entries by column, in id order. Columns rather than
// a vector of RawPiece because the vocabulary takes the columns over as
// they are: a load then writes each table once (fresh pages cost ~2 us
// each on a VM, more than parsing what goes into them).
struct RawPieces {
  std::vector<std::string_view> piece;
  std::vector<float> score;
  std::vector<uint8_t> type;  // ModelProto::SentencePiece::Type.

  size_t size() const { return piece.size(); }
  void reserve(size_t n) {
    piece.reserve(n);
    score.reserve(n);
    type.reserve(n);
  }
  void clear() {
    piece.clear();
    score.clear();
    type.clear();
  }
  void push_back(const RawPiece& p) {
    piece.push_back(p.piece);
    score.push_back(p.score);
    type.push_back(static_cast<uint8_t>(p.type));
  }
  RawPiece operator[](size_t i) const {
    return {piece[i], score[i], static_cast<ModelProto::SentencePiece::Type>(type[i])};
  }
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
bool SplitModelProto(std::string_view bytes, ModelProto* rest, RawPieces* pieces);

// The pieces of a parsed proto, as views into it.
RawPieces PiecesOf(const ModelProto& proto);

}  // namespace sentencepiece

#endif  // SPM_SRC_COMMON_MODEL_IO_H_
