#include "common/model_io.h"

#include <cstring>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/absl_compat.h"
#include "common/file_io.h"
#include "common/status_macros.h"

namespace sentencepiece {

absl::StatusOr<std::unique_ptr<ModelProto>> ParseModelProto(std::string_view bytes,
                                                            std::string_view source) {
  if (bytes.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(ToAbsl(source), ": is empty, not a SentencePiece model"));
  }
  auto proto = std::make_unique<ModelProto>();
  if (bytes.size() > static_cast<size_t>(INT32_MAX) ||
      !proto->ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return absl::InvalidArgumentError(absl::StrCat(
        ToAbsl(source), ": could not parse ModelProto (not a SentencePiece model, or truncated)"));
  }
  return proto;
}

namespace {

// Reads a varint at *p (< end); false if malformed or longer than 10 bytes.
bool ReadVarint(const char** p, const char* end, uint64_t* v) {
  if (*p < end && static_cast<unsigned char>(**p) < 0x80) {  // The common case.
    *v = static_cast<unsigned char>(*(*p)++);
    return true;
  }
  uint64_t result = 0;
  for (int shift = 0; shift < 64 && *p < end; shift += 7) {
    const auto b = static_cast<unsigned char>(*(*p)++);
    result |= static_cast<uint64_t>(b & 0x7F) << shift;
    if (b < 0x80) {
      *v = result;
      return true;
    }
  }
  return false;
}

// Reads a length-delimited payload; false if it runs past `end`.
bool ReadLength(const char** p, const char* end, std::string_view* out) {
  uint64_t len = 0;
  if (!ReadVarint(p, end, &len) || len > static_cast<uint64_t>(end - *p)) return false;
  *out = std::string_view(*p, len);
  *p += len;
  return true;
}

// The float of a fixed32 field at p: little-endian on the wire, read as it
// lies on a little-endian machine (assembled byte by byte it took ~19 of
// a canonical piece's ~90 instructions).
float ReadFloat(const char* p) {
  static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "floats are read in place");
  float f;
  std::memcpy(&f, p, 4);
  return f;
}

// Parses one ModelProto.SentencePiece: piece = 1, score = 2, type = 3.
bool ReadPiece(std::string_view msg, RawPiece* out) {
  const char* p = msg.data();
  const char* end = p + msg.size();
  *out = RawPiece();
  while (p < end) {
    uint64_t tag = 0;
    if (!ReadVarint(&p, end, &tag)) return false;
    switch (tag) {
      case (1 << 3) | 2:
        if (!ReadLength(&p, end, &out->piece)) return false;
        break;
      case (2 << 3) | 5: {
        if (end - p < 4) return false;
        out->score = ReadFloat(p);
        p += 4;
        break;
      }
      case (3 << 3) | 0: {
        uint64_t v = 0;
        if (!ReadVarint(&p, end, &v)) return false;
        // Other values would go to the unknown fields.
        if (!ModelProto::SentencePiece::Type_IsValid(static_cast<int>(v)) || v > 64) return false;
        out->type = static_cast<ModelProto::SentencePiece::Type>(v);
        break;
      }
      default:
        return false;  // An unknown field (or extension): keep it, parse in full.
    }
  }
  return true;
}

// A pieces field (ModelProto field 1) at p in the layout protobuf itself
// writes, read without the general field loop (this runs for each of ~30k
// pieces at every load): tag 0x0A and a one-byte length, then the piece
// (tag 0x0A, one-byte length, its bytes), the score (0x15, 4 bytes) and
// the type (0x18, one byte) unless it is absent. Returns the field's end,
// or nullptr for anything else (the general loop then reads the field).
// All from the field's first bytes: one test of the two lengths places
// every other byte.
const char* ReadCanonicalPieceField(const char* p, const char* end, RawPiece* out) {
  const auto* q = reinterpret_cast<const unsigned char*>(p);
  if (end - p < 4 || q[0] != 0x0A || q[2] != 0x0A || ((q[1] | q[3]) & 0x80) != 0) return nullptr;
  const size_t size = q[1];  // The field's payload: q[2, 2 + size).
  const size_t text = q[3];  // The piece's bytes: q[4, 4 + text).
  if (size > static_cast<size_t>(end - p - 2)) return nullptr;
  int type = ModelProto::SentencePiece::NORMAL;
  if (size == text + 9) {
    if (q[4 + text] != 0x15 || q[9 + text] != 0x18 || q[10 + text] >= 0x80) return nullptr;
    type = q[10 + text];
    if (!ModelProto::SentencePiece::Type_IsValid(type)) return nullptr;
  } else if (size != text + 7 || q[4 + text] != 0x15) {
    return nullptr;
  }
  out->piece = std::string_view(p + 4, text);
  out->score = ReadFloat(p + 5 + text);
  out->type = static_cast<ModelProto::SentencePiece::Type>(type);
  return p + 2 + size;
}

}  // namespace

bool SplitModelProto(std::string_view bytes, ModelProto* rest, RawPieces* pieces) {
  if (bytes.empty() || bytes.size() > static_cast<size_t>(INT32_MAX)) return false;
  pieces->clear();
  // Room for every piece of a plain model (each takes ~12 bytes or more),
  // so the columns are not grown and copied; larger files (a big normalizer
  // rule table) only reserve untouched memory.
  pieces->reserve(bytes.size() / 12);
  std::string other;  // Every field but the pieces, in order.
  const char* p = bytes.data();
  const char* end = p + bytes.size();
  while (p < end) {
    // Most fields are pieces shorter than 128 bytes, as protobuf lays
    // them out.
    RawPiece piece;
    if (const char* next = ReadCanonicalPieceField(p, end, &piece)) {
      pieces->push_back(piece);
      p = next;
      continue;
    }
    const char* field = p;
    uint64_t tag = 0;
    if (!ReadVarint(&p, end, &tag)) return false;
    std::string_view payload;
    switch (tag & 7) {
      case 0: {
        uint64_t v;
        if (!ReadVarint(&p, end, &v)) return false;
        break;
      }
      case 1:
        if (end - p < 8) return false;
        p += 8;
        break;
      case 2:
        if (!ReadLength(&p, end, &payload)) return false;
        break;
      case 5:
        if (end - p < 4) return false;
        p += 4;
        break;
      default:
        return false;  // Groups, invalid wire types.
    }
    if ((tag >> 3) == 0) return false;
    if ((tag >> 3) == 1) {
      if ((tag & 7) != 2) return false;
      if (!ReadPiece(payload, &piece)) return false;
      pieces->push_back(piece);
    } else {
      other.append(field, p - field);
    }
  }
  return rest->ParseFromString(other);
}

RawPieces PiecesOf(const ModelProto& proto) {
  RawPieces pieces;
  pieces.reserve(proto.pieces_size());
  for (const auto& sp : proto.pieces()) pieces.push_back({sp.piece(), sp.score(), sp.type()});
  return pieces;
}

absl::StatusOr<std::unique_ptr<ModelProto>> ReadModelProto(const std::string& path) {
  if (path.empty()) return absl::InvalidArgumentError("model file path should not be empty.");
  ASSIGN_OR_RETURN(const std::string bytes, ReadFile(path));
  return ParseModelProto(bytes, absl::StrCat("\"", path, "\""));
}

}  // namespace sentencepiece
