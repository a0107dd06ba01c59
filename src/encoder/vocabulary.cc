#include "encoder/vocabulary.h"

#include <algorithm>
#include <set>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/absl_compat.h"
#include "common/status_macros.h"

namespace sentencepiece {
namespace {

const std::vector<std::string>& BytePieces() {
  static const auto* pieces = [] {
    auto* v = new std::vector<std::string>(256);
    static constexpr char kHex[] = "0123456789ABCDEF";
    for (int b = 0; b < 256; ++b) {
      (*v)[b] = std::string("<0x") + kHex[b >> 4] + kHex[b & 15] + ">";
    }
    return v;
  }();
  return *pieces;
}

}  // namespace

std::string_view ByteToPiece(unsigned char b) { return BytePieces()[b]; }

int PieceToByte(std::string_view piece) {
  if (piece.size() != 6 || piece.substr(0, 3) != "<0x" || piece[5] != '>') return -1;
  auto hex = [](char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  const int hi = hex(piece[3]), lo = hex(piece[4]);
  return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
}

absl::StatusOr<Vocabulary> Vocabulary::Create(const ModelProto& proto) {
  return Create(PiecesOf(proto), proto.trainer_spec().byte_fallback());
}

absl::StatusOr<Vocabulary> Vocabulary::Create(RawPieces raw, bool byte_fallback) {
  using SP = ModelProto::SentencePiece;
  Vocabulary v;
  const int n = static_cast<int>(raw.size());
  // The columns become the vocabulary's tables as they are.
  v.pieces_ = std::move(raw.piece);
  v.scores_ = std::move(raw.score);
  v.types_ = std::move(raw.type);
  v.normal_.Reserve(n, v.pieces_);
  v.byte_fallback_ = byte_fallback;
  v.byte_ids_.assign(256, -1);
  std::set<std::string_view> user_defined;

  // Slots are read at random: a piece's hash is computed kAhead pieces
  // early and its slot prefetched, so the misses overlap (most pieces go to
  // the normal table, whose Filler serves the whole loop).
  constexpr unsigned kAhead = 16;  // A power of two.
  uint64_t hashes[kAhead];
  // (Scoped: the filler updates the table's size when it goes, which must
  // be before `v` is returned.)
  {
    PieceTable::Filler normal(&v.normal_, v.pieces_);
    for (int id = 0; id < std::min(n, static_cast<int>(kAhead)); ++id) {
      hashes[id] = HashWord(v.pieces_[id]);
      normal.Prefetch(hashes[id]);
    }
    auto already_defined = [](std::string_view piece) {
      return absl::InternalError(absl::StrCat(ToAbsl(piece), " is already defined."));
    };
    for (int id = 0; id < n; ++id) {
      const std::string_view piece = v.pieces_[id];
      const uint64_t hash = hashes[id & (kAhead - 1)];
      if (id + static_cast<int>(kAhead) < n) {
        hashes[id & (kAhead - 1)] = HashWord(v.pieces_[id + kAhead]);
        normal.Prefetch(hashes[id & (kAhead - 1)]);
      }
      if (piece.empty()) {
        return absl::InternalError(absl::StrCat("piece must not be empty. (id ", id, ")"));
      }
      const auto type = static_cast<SP::Type>(v.types_[id]);
      if (type == SP::NORMAL || type == SP::USER_DEFINED || type == SP::UNUSED) {
        if (!normal.Insert(piece, hash, id)) return already_defined(piece);
        if (type == SP::USER_DEFINED) user_defined.insert(piece);
        if (type == SP::UNUSED) ++v.num_unused_;
        continue;
      }
      if (!v.reserved_.Insert(piece, hash, id, v.pieces_)) return already_defined(piece);
      v.reserved_ids_.push_back(id);
      if (type == SP::UNKNOWN) {
        if (v.unk_id_ >= 0) return absl::InternalError("unk is already defined.");
        v.unk_id_ = id;
      }
      if (type == SP::BYTE) {
        if (!v.byte_fallback_) {
          return absl::InternalError(absl::StrCat(
              "byte piece ", ToAbsl(piece), " is found although `byte_fallback` is false."));
        }
        const int b = PieceToByte(piece);
        if (b < 0) {
          return absl::InternalError(absl::StrCat("byte piece ", ToAbsl(piece), " is invalid."));
        }
        v.byte_ids_[b] = id;
      }
    }
  }
  if (v.unk_id_ < 0) return absl::InternalError("unk is not defined.");
  if (v.byte_fallback_) {
    for (int id : v.byte_ids_) {
      if (id < 0) {
        return absl::InternalError(
            "there are not 256 byte pieces although `byte_fallback` is true.");
      }
    }
  }
  ASSIGN_OR_RETURN(v.matcher_, PrefixMatcher::Create(user_defined));
  return v;
}

}  // namespace sentencepiece
