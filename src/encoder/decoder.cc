// Decoding: pieces (or ids) back to text.
//
// Each piece contributes a surface:
//   - control pieces: nothing;
//   - the unknown piece itself: the model's unk_surface (" \u2047 " by
//     default); any other unknown string: itself, verbatim;
//   - runs of byte pieces: their bytes, read as UTF-8; each character's text
//     goes on its last byte piece, and each malformed byte becomes U+FFFD;
//   - anything else: the piece with `▁` replaced by " ", after dropping one
//     leading `▁` from the first piece(s) of the text when the model adds a
//     dummy prefix or removes extra whitespace (with the latter, leading
//     `▁`-only pieces are all dropped).
// The concatenated surfaces then pass through the denormalizer, if any.

#include <algorithm>
#include <cstring>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/absl_compat.h"
#include "common/space_scan.h"
#include "absl/strings/str_replace.h"
#include "common/status_macros.h"
#include "common/utf8.h"
#include "encoder/processor.h"

namespace sentencepiece {
namespace {

constexpr std::string_view kDefaultUnkSurface = " \xE2\x81\x87 ";

class PieceDecoder {
 public:
  PieceDecoder(const Processor& p, DecodeOutput* out)
      : vocab_(p.vocab()), proto_(p.proto()), out_(out) {}

  absl::Status Run() {
    size_t byte_start = 0;
    for (size_t i = 0; i < out_->pieces.size(); ++i) {
      if (vocab_.IsByte(out_->pieces[i].id)) continue;
      RETURN_IF_ERROR(FlushBytes(byte_start, i));
      byte_start = i + 1;
      // Leading whitespace is stripped until something was emitted (or,
      // without remove_extra_whitespaces, once).
      if (bos_ws_seen_ || !out_->surfaces.empty()) at_start_ = false;
      SetSurface(i, DecodePiece(out_->pieces[i]));
    }
    return FlushBytes(byte_start, out_->pieces.size());
  }

 private:
  void SetSurface(size_t i, std::string_view surface) {
    DecodedPiece& d = out_->pieces[i];
    d.begin = static_cast<uint32_t>(out_->surfaces.size());
    out_->surfaces.append(surface.data(), surface.size());
    d.end = static_cast<uint32_t>(out_->surfaces.size());
  }

  std::string DecodePiece(const DecodedPiece& d) {
    bos_ws_seen_ = false;
    if (vocab_.IsControl(d.id)) return "";
    if (vocab_.IsUnknown(d.id)) {
      if (vocab_.IdToPiece(d.id) != d.piece) return std::string(d.piece);
      const TrainerSpec& ts = proto_.trainer_spec();
      return ts.has_unk_surface() ? ts.unk_surface() : std::string(kDefaultUnkSurface);
    }
    std::string_view piece = d.piece;
    const NormalizerSpec& ns = proto_.normalizer_spec();
    if (at_start_ && (ns.add_dummy_prefix() || ns.remove_extra_whitespaces())) {
      if (piece.substr(0, utf8::kSpaceSymbol.size()) == utf8::kSpaceSymbol) {
        piece.remove_prefix(utf8::kSpaceSymbol.size());
        // With remove_extra_whitespaces every leading `▁` goes.
        bos_ws_seen_ = !ns.remove_extra_whitespaces();
      }
    }
    return absl::StrReplaceAll(absl::string_view(piece.data(), piece.size()),
                               {{absl::string_view(utf8::kSpaceSymbol.data(), 3), " "}});
  }

  // Gives the byte pieces [begin, end) their surfaces.
  absl::Status FlushBytes(size_t begin, size_t end) {
    if (begin >= end) return absl::OkStatus();
    std::string bytes;
    for (size_t i = begin; i < end; ++i) {
      const int b = PieceToByte(out_->pieces[i].piece);
      if (b < 0) {
        return absl::InternalError(
            absl::StrCat("byte piece ", ToAbsl(out_->pieces[i].piece), " is invalid."));
      }
      bytes.push_back(static_cast<char>(b));
    }
    for (size_t offset = 0; offset < bytes.size();) {
      size_t len = 0;
      const bool valid = utf8::DecodeValid(std::string_view(bytes).substr(offset), &len);
      if (!valid) {
        SetSurface(begin + offset, utf8::kReplacementCharUtf8);
      } else {
        for (size_t j = 0; j < len; ++j) {
          SetSurface(begin + offset + j,
                     j + 1 == len ? std::string_view(bytes).substr(offset, len) : "");
        }
      }
      offset += len;
    }
    return absl::OkStatus();
  }

  const Vocabulary& vocab_;
  const ModelProto& proto_;
  DecodeOutput* out_;
  bool at_start_ = true;
  bool bos_ws_seen_ = false;
};

}  // namespace

absl::Status Processor::Decode(const std::vector<std::string_view>& pieces,
                               DecodeOutput* out) const {
  out->pieces.clear();
  out->surfaces.clear();
  out->text.clear();
  for (std::string_view p : pieces) out->pieces.push_back({p, vocab().PieceToId(p)});

  for (ExtraOption o : decode_options_) {
    switch (o) {
      case ExtraOption::kReverse:
        std::reverse(out->pieces.begin(), out->pieces.end());
        break;
      case ExtraOption::kBos:
        out->pieces.insert(out->pieces.begin(), {bos_piece(), vocab().PieceToId(bos_piece())});
        break;
      case ExtraOption::kEos:
        out->pieces.push_back({eos_piece(), vocab().PieceToId(eos_piece())});
        break;
      case ExtraOption::kUnk:
        for (DecodedPiece& d : out->pieces) {
          if (vocab().IsUnknown(d.id)) d.piece = unk_piece();
        }
        break;
    }
  }

  RETURN_IF_ERROR(PieceDecoder(*this, out).Run());
  out->text = denormalizer_ ? denormalizer_->Normalize(out->surfaces) : out->surfaces;
  return absl::OkStatus();
}

namespace {

std::unique_ptr<const DecodeTable> BuildDecodeTable(const Vocabulary& v, const ModelProto& proto) {
  auto t = std::make_unique<DecodeTable>();
  const int n = v.size();
  t->begin.resize(n + 1);
  t->kind.resize(n, DecodeTable::kPlain);
  t->byte.resize(n, 0);
  size_t total = 0;
  for (int id = 0; id < n; ++id) total += v.IdToPiece(id).size();
  t->surfaces.reserve(total);
  const TrainerSpec& ts = proto.trainer_spec();
  const std::string_view unk_surface =
      ts.has_unk_surface() ? std::string_view(ts.unk_surface()) : kDefaultUnkSurface;
  const NormalizerSpec& ns = proto.normalizer_spec();
  const bool strip = ns.add_dummy_prefix() || ns.remove_extra_whitespaces();
  const std::string_view ws = utf8::kSpaceSymbol;
  for (int id = 0; id < n; ++id) {
    t->begin[id] = static_cast<uint32_t>(t->surfaces.size());
    const std::string_view piece = v.IdToPiece(id);
    if (v.IsControl(id)) continue;
    if (v.IsUnknown(id)) {
      t->surfaces.append(unk_surface.data(), unk_surface.size());
      continue;
    }
    if (v.IsByte(id)) {
      t->kind[id] = DecodeTable::kByte;
      t->byte[id] = static_cast<uint8_t>(PieceToByte(piece));
      continue;
    }
    if (strip && piece.substr(0, ws.size()) == ws) t->kind[id] = DecodeTable::kLeadingWs;
    for (size_t i = 0; i < piece.size();) {
      if (piece.compare(i, ws.size(), ws) == 0) {
        t->surfaces.push_back(' ');
        i += ws.size();
      } else {
        t->surfaces.push_back(piece[i++]);
      }
    }
  }
  t->begin[n] = static_cast<uint32_t>(t->surfaces.size());
  t->shorts.resize(n);  // (Zeroed: bytes past a surface are zeros.)
  for (int id = 0; id < n; ++id) {
    DecodeTable::Short& s = t->shorts[id];
    const uint32_t length = t->begin[id + 1] - t->begin[id];
    if (t->kind[id] == DecodeTable::kByte || length > sizeof(s.bytes)) {
      s.length = DecodeTable::kLongSurface;
    } else {
      std::memcpy(s.bytes, t->surfaces.data() + t->begin[id], length);
      s.length = static_cast<uint8_t>(length);
    }
  }
  return t;
}

std::unique_ptr<const PieceIdIndex> BuildPieceIdIndex(const Vocabulary& v) {
  auto t = std::make_unique<PieceIdIndex>();
  const int n = v.size();
  size_t num_short = 0;
  for (int id = 0; id < n; ++id) {
    const size_t size = v.IdToPiece(id).size();
    num_short += size >= 1 && size <= ShortKeyIndex::kMaxKeyBytes;
    t->max_piece_bytes = std::max(t->max_piece_bytes, size);
  }
  t->short_ids.Reserve(num_short);
  // (Sized for all n: its slots' id bits must hold every id.)
  t->long_ids.Reserve(static_cast<size_t>(n), v.pieces());
  // Each string under the id PieceToId() gives it: a reserved piece's
  // (control, unknown, byte) before a normal one with the same string (a
  // string is at most once of each kind). The first insert of a string
  // wins.
  auto insert = [&t, &v](int id) {
    const std::string_view piece = v.IdToPiece(id);
    if (piece.size() > ShortKeyIndex::kMaxKeyBytes) {
      t->long_ids.Insert(piece, id, v.pieces());
    } else if (!piece.empty()) {
      t->short_ids.Insert(piece, id);
    }
  };
  for (const int id : v.reserved_ids()) insert(id);
  for (int id = 0; id < n; ++id) insert(id);
  return t;
}

}  // namespace

// The same decisions as PieceDecoder, on precomputed surfaces.
absl::Status Processor::DecodeIdsToText(const std::vector<int>& ids, std::string* text) const {
  const int n = vocab().size();
  for (int id : ids) {
    if (static_cast<unsigned>(id) >= static_cast<unsigned>(n)) {
      return absl::OutOfRangeError(absl::StrCat("Invalid id: ", id));
    }
  }
  if (!decode_options_.empty()) {
    DecodeOutput out;
    RETURN_IF_ERROR(DecodeIds(ids, &out));
    *text = std::move(out.text);
    return absl::OkStatus();
  }
  TextFromIds(ids, nullptr, text);
  return absl::OkStatus();
}

absl::Status Processor::DecodePiecesToText(const std::vector<std::string_view>& pieces,
                                           std::string* text) const {
  if (!decode_options_.empty()) {
    DecodeOutput out;
    RETURN_IF_ERROR(Decode(pieces, &out));
    *text = std::move(out.text);
    return absl::OkStatus();
  }
  // Each piece as its id, or (a string the vocabulary does not have, which
  // decodes to itself) as the complement of its index.
  const PieceIdIndex& index = GetPieceIdIndex();
  const std::vector<std::string_view>& strings = vocab().pieces();
  thread_local std::vector<int> ids;
  ids.clear();
  for (size_t i = 0; i < pieces.size(); ++i) {
    const int id = index.Find(pieces[i], strings);
    ids.push_back(id >= 0 ? id : ~static_cast<int>(i));
  }
  TextFromIds(ids, &pieces, text);
  return absl::OkStatus();
}

absl::Status Processor::DecodePieceLineToText(std::string_view line, std::string* text) const {
  thread_local std::vector<std::string_view> pieces;
  pieces.clear();
  if (!decode_options_.empty()) {
    ForEachNonSpaceRun(line, [](std::string_view piece) { pieces.push_back(piece); });
    return DecodePiecesToText(pieces, text);
  }
  // As DecodePiecesToText(), with only the strings that decode to
  // themselves kept aside.
  const PieceIdIndex& index = GetPieceIdIndex();
  const std::vector<std::string_view>& strings = vocab().pieces();
  thread_local std::vector<int> ids;
  ids.clear();
  ForEachNonSpaceRun(line, [&index, &strings](std::string_view piece) {
    const int id = index.Find(piece, strings);
    if (id >= 0) {
      ids.push_back(id);
    } else {
      ids.push_back(~static_cast<int>(pieces.size()));
      pieces.push_back(piece);
    }
  });
  TextFromIds(ids, &pieces, text);
  return absl::OkStatus();
}

const DecodeTable& Processor::GetDecodeTable() const {
  // (A test of one flag once built: std::call_once cost a line of short
  // pieces 2% of its decoding.)
  return *decode_table_.Get([this] { return BuildDecodeTable(vocab(), *proto_); });
}

const PieceIdIndex& Processor::GetPieceIdIndex() const {
  return *piece_id_index_.Get([this] { return BuildPieceIdIndex(vocab()); });
}

void Processor::TextFromIds(const std::vector<int>& ids,
                            const std::vector<std::string_view>* pieces, std::string* text) const {
  const DecodeTable& t = GetDecodeTable();
  const bool keep_stripping = proto_->normalizer_spec().remove_extra_whitespaces();
  thread_local std::string surfaces;
  std::string& s = denormalizer_ ? surfaces : *text;
  s.clear();
  bool at_start = true;
  bool bos_ws_seen = false;
  std::string bytes;
  // Decodes the id at i (or the run of byte pieces from i); returns the
  // index after it.
  auto is_byte = [&t](int id) { return id >= 0 && t.kind[id] == DecodeTable::kByte; };
  auto step = [&](size_t i) {
    const int id = ids[i];
    if (id < 0) {  // A piece that decodes to itself, as the piece decoder has it.
      if (bos_ws_seen || !s.empty()) at_start = false;
      bos_ws_seen = false;
      const std::string_view piece = (*pieces)[static_cast<size_t>(~id)];
      s.append(piece.data(), piece.size());
      return i + 1;
    }
    const DecodeTable::Kind kind = t.kind[id];
    if (kind == DecodeTable::kByte) {
      // A run of byte pieces: its bytes as UTF-8, U+FFFD per malformed byte.
      bytes.clear();
      for (; i < ids.size() && is_byte(ids[i]); ++i) {
        bytes.push_back(static_cast<char>(t.byte[ids[i]]));
      }
      for (size_t offset = 0; offset < bytes.size();) {
        size_t len = 0;
        if (utf8::DecodeValid(std::string_view(bytes).substr(offset), &len)) {
          s.append(bytes, offset, len);
        } else {
          s.append(utf8::kReplacementCharUtf8.data(), utf8::kReplacementCharUtf8.size());
        }
        offset += len;
      }
      return i;
    }
    if (bos_ws_seen || !s.empty()) at_start = false;
    bos_ws_seen = false;
    uint32_t begin = t.begin[id];
    if (at_start && kind == DecodeTable::kLeadingWs) {
      ++begin;
      bos_ws_seen = !keep_stripping;
    }
    s.append(t.surfaces, begin, t.begin[id + 1] - begin);
    return i + 1;
  };
  size_t i = 0;
  // While the text is empty, a leading `▁` may lose its space.
  while (i < ids.size() && s.empty() && !bos_ws_seen) i = step(i);
  // Past the start every surface is copied as is: the short ones a chunk
  // of ids at a time, by 16-byte moves into room made for them.
  constexpr size_t kChunkIds = 1024;
  const DecodeTable::Short* const shorts = t.shorts.data();
  while (i < ids.size()) {
    const size_t chunk = std::min(ids.size() - i, kChunkIds);
    const size_t at = s.size();
    s.resize(at + chunk * sizeof(DecodeTable::Short));
    char* p = s.data() + at;
    char* const room_end = s.data() + s.size();
    size_t k = 0;
    for (; k < chunk; ++k) {
      const int id = ids[i + k];
      if (id < 0) {
        // A string that decodes to itself, copied here when it fits in the
        // room left over the 16 bytes each id after it may take.
        const std::string_view piece = (*pieces)[static_cast<size_t>(~id)];
        const size_t room = static_cast<size_t>(room_end - p) -
                            (chunk - k - 1) * sizeof(DecodeTable::Short);
        if (piece.size() > room) break;
        if (!piece.empty()) std::memcpy(p, piece.data(), piece.size());
        p += piece.size();
        continue;
      }
      const DecodeTable::Short& short_surface = shorts[id];
      if (short_surface.length == DecodeTable::kLongSurface) break;
      std::memcpy(p, &short_surface, sizeof(DecodeTable::Short));  // Bytes first.
      p += short_surface.length;
    }
    s.resize(static_cast<size_t>(p - s.data()));
    i += k;
    if (k < chunk) i = step(i);
  }
  if (denormalizer_) *text = denormalizer_->Normalize(s);
}

absl::Status Processor::DecodeIds(const std::vector<int>& ids, DecodeOutput* out) const {
  std::vector<std::string_view> pieces;
  pieces.reserve(ids.size());
  for (int id : ids) {
    if (id < 0 || id >= vocab().size()) {
      return absl::OutOfRangeError(absl::StrCat("Invalid id: ", id));
    }
    pieces.push_back(vocab().IdToPiece(id));
  }
  return Decode(pieces, out);
}

}  // namespace sentencepiece
