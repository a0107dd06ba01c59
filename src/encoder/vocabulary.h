// The vocabulary of a model: piece strings, ids, scores and types.
//
// Built from a ModelProto with the checks SentencePiece makes at load time
// (non-empty and unique pieces, exactly one UNKNOWN piece, byte pieces only
// with byte_fallback and then all 256 of them). Pieces are looked up in two
// tables, as in the reference: "reserved" pieces (CONTROL, UNKNOWN, BYTE)
// and the rest (NORMAL, USER_DEFINED, UNUSED); a string may appear once in
// each, and PieceToId() prefers the reserved one.

#ifndef SPM_SRC_ENCODER_VOCABULARY_H_
#define SPM_SRC_ENCODER_VOCABULARY_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/hash/hash.h"
#include "absl/strings/string_view.h"
#include "absl/status/statusor.h"
#include "common/model_io.h"
#include "encoder/piece_table.h"
#include "normalizer/prefix_matcher.h"
#include "sentencepiece_model.pb.h"

namespace sentencepiece {

using PieceType = ModelProto::SentencePiece::Type;

// Hashes std::string_view with abseil's string hash (faster than the
// std::hash fallback abseil would otherwise use for std::string_view).
struct PieceHash {
  size_t operator()(std::string_view s) const {
    return absl::Hash<absl::string_view>{}(absl::string_view(s.data(), s.size()));
  }
};

class Vocabulary {
 public:
  // `proto` must outlive the vocabulary.
  static absl::StatusOr<Vocabulary> Create(const ModelProto& proto);
  // From pieces read in place (common/model_io.h); the strings they view
  // must outlive the vocabulary. `byte_fallback` is the trainer spec's.
  static absl::StatusOr<Vocabulary> Create(RawPieces pieces, bool byte_fallback);

  int size() const { return static_cast<int>(pieces_.size()); }

  // Id of `piece`; the unknown id when it is not in the vocabulary.
  int PieceToId(std::string_view piece) const {
    if (const int id = reserved_.Find(piece, pieces_); id >= 0) return id;
    if (const int id = normal_.Find(piece, pieces_); id >= 0) return id;
    return unk_id_;
  }
  // Id of `piece` among NORMAL, USER_DEFINED and UNUSED pieces, or -1.
  int FindNormalPiece(std::string_view piece) const { return normal_.Find(piece, pieces_); }

  // REQUIRES: 0 <= id < size().
  std::string_view IdToPiece(int id) const { return pieces_[id]; }
  float GetScore(int id) const { return scores_[id]; }
  PieceType GetType(int id) const { return static_cast<PieceType>(types_[id]); }

  // Out-of-range ids have no type.
  bool IsType(int id, PieceType t) const { return id >= 0 && id < size() && types_[id] == t; }
  bool IsUnknown(int id) const { return IsType(id, ModelProto::SentencePiece::UNKNOWN); }
  bool IsControl(int id) const { return IsType(id, ModelProto::SentencePiece::CONTROL); }
  bool IsUnused(int id) const { return IsType(id, ModelProto::SentencePiece::UNUSED); }
  bool IsByte(int id) const { return IsType(id, ModelProto::SentencePiece::BYTE); }
  bool IsUserDefined(int id) const { return IsType(id, ModelProto::SentencePiece::USER_DEFINED); }

  int unk_id() const { return unk_id_; }
  bool byte_fallback() const { return byte_fallback_; }
  // Id of the piece for byte `b`. REQUIRES: byte_fallback().
  int ByteToId(unsigned char b) const { return byte_ids_[b]; }

  // Matches the USER_DEFINED pieces.
  const PrefixMatcher& user_defined_matcher() const { return matcher_; }

  // Changes a piece's type (vocabulary restriction toggles NORMAL and
  // UNUSED). The lookup tables keep the load-time split, as in the
  // reference. Not thread-safe against concurrent readers.
  void SetType(int id, PieceType t) {
    num_unused_ += (t == ModelProto::SentencePiece::UNUSED) - (types_[id] == ModelProto::SentencePiece::UNUSED);
    types_[id] = static_cast<uint8_t>(t);
  }
  // Whether any piece is UNUSED.
  bool has_unused() const { return num_unused_ > 0; }

  // All pieces by id.
  const std::vector<std::string_view>& pieces() const { return pieces_; }
  // Ids of the reserved pieces (CONTROL, UNKNOWN, BYTE), ascending.
  const std::vector<int>& reserved_ids() const { return reserved_ids_; }

 private:
  Vocabulary() = default;

  // Views into the proto or the model bytes.
  std::vector<std::string_view> pieces_;
  std::vector<float> scores_;
  std::vector<uint8_t> types_;  // PieceType, one byte each.
  PieceTable normal_;    // NORMAL, USER_DEFINED and UNUSED pieces.
  PieceTable reserved_;  // CONTROL, UNKNOWN and BYTE pieces.
  int unk_id_ = -1;
  int num_unused_ = 0;
  bool byte_fallback_ = false;
  std::vector<int> byte_ids_;
  std::vector<int> reserved_ids_;
  PrefixMatcher matcher_;
};

// "<0xXX>" (uppercase hex) for byte `b`.
std::string_view ByteToPiece(unsigned char b);
// The byte of a "<0xXX>" piece, or -1.
int PieceToByte(std::string_view piece);

}  // namespace sentencepiece

#endif  // SPM_SRC_ENCODER_VOCABULARY_H_
