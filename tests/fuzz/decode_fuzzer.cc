// Fuzzes decoding from ids and from pieces, with decode extra options.
//
// Input: [model][mode][extra-option bits][payload...]
//   mode bit 0 = 0: the payload is ids, two bytes each (little-endian),
//     mapped to [-4, vocab size + 4) so that out-of-range ids are common;
//     the pair 0xFFFF 0xFFFF stands for INT_MIN, 0xFFFE 0xFFFF for INT_MAX.
//   mode bit 0 = 1: the payload is pieces separated by ' '; a field "@XY"
//     is the vocabulary piece with id (X | Y << 8) % size, anything else is
//     used as it is (invalid UTF-8, "<0xZZ>", "▁▁", unknown strings...).
// Checks: ids in range decode without error, an out-of-range id fails with
// OutOfRange "Invalid id: N"; pieces always decode; every form (string,
// SentencePieceText, serialized proto, the string_view overload) gives the
// same text; decoding ids equals decoding their pieces when each piece
// maps back to its id; the payload read as a line (spm_decode's piece
// input, Processor::DecodePieceLineToText) decodes as its runs between
// spaces do through the piece decoder.

#include <climits>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_util.h"

namespace sentencepiece {
namespace fuzz {
namespace {

void CheckDecodedText(const SentencePieceText& spt, const std::string& text, size_t pieces) {
  FUZZ_CHECK(spt.text() == text, "SentencePieceText.text differs from the decoded string");
  FUZZ_CHECK(static_cast<size_t>(spt.pieces_size()) >= pieces, "pieces lost in decoding");
  for (const auto& p : spt.pieces()) FUZZ_CHECK(p.begin() <= p.end(), "decoded offsets reversed");
}

void DecodeIds(SentencePieceProcessor& sp, std::string_view payload) {
  const int n = sp.GetPieceSize();
  std::vector<int> ids;
  bool all_valid = true;
  for (size_t i = 0; i + 1 < payload.size(); i += 2) {
    const uint16_t v = static_cast<uint8_t>(payload[i]) | static_cast<uint8_t>(payload[i + 1]) << 8;
    int id = static_cast<int>(v % static_cast<uint32_t>(n + 8)) - 4;
    if (v == 0xFFFF) id = INT_MIN;
    if (v == 0xFFFE) id = INT_MAX;
    if (id < 0 || id >= n) all_valid = false;
    ids.push_back(id);
  }
  std::string text;
  const util::Status s = sp.Decode(ids, &text);
  if (!all_valid) {
    FUZZ_CHECK(s.code() == util::StatusCode::kOutOfRange &&
                   std::string(s.message()).find("Invalid id: ") == 0,
               "an out-of-range id gave " + s.ToString());
    FUZZ_CHECK(sp.DecodeIds(ids).empty(), "DecodeIds returned text for an invalid id");
    return;
  }
  FUZZ_CHECK(s.ok(), "Decode(ids) failed: " + s.ToString());
  FUZZ_CHECK(sp.DecodeIds(ids) == text, "DecodeIds differs");
  SentencePieceText spt;
  FUZZ_CHECK(sp.Decode(ids, &spt).ok(), "Decode(ids, spt) failed");
  CheckDecodedText(spt, text, ids.size());
  CheckSerialized(spt, sp.DecodeIdsAsSerializedProto(ids));

  std::vector<std::string> pieces;
  bool round_trips = true;
  for (int id : ids) {
    pieces.push_back(sp.IdToPiece(id));
    if (sp.PieceToId(pieces.back()) != id) round_trips = false;
  }
  std::string from_pieces;
  FUZZ_CHECK(sp.Decode(pieces, &from_pieces).ok(), "Decode(IdToPiece(ids)) failed");
  if (round_trips) FUZZ_CHECK(from_pieces == text, "pieces and ids decode differently");
}

void DecodePieces(SentencePieceProcessor& sp, std::string_view payload) {
  const int n = sp.GetPieceSize();
  std::vector<std::string> pieces;
  size_t start = 0;
  while (start <= payload.size()) {
    size_t end = payload.find(' ', start);
    if (end == std::string_view::npos) end = payload.size();
    const std::string_view field = payload.substr(start, end - start);
    if (field.size() == 3 && field[0] == '@') {
      const int id = (static_cast<uint8_t>(field[1]) | static_cast<uint8_t>(field[2]) << 8) % n;
      pieces.push_back(sp.IdToPiece(id));
    } else {
      pieces.emplace_back(field);
    }
    start = end + 1;
  }
  std::string text;
  const util::Status s = sp.Decode(pieces, &text);
  FUZZ_CHECK(s.ok(), "Decode(pieces) failed: " + s.ToString());
  FUZZ_CHECK(sp.DecodePieces(pieces) == text, "DecodePieces differs");
  const std::vector<std::string_view> views(pieces.begin(), pieces.end());
  std::string from_views;
  FUZZ_CHECK(sp.Decode(views, &from_views).ok() && from_views == text,
             "the string_view overload differs");
  SentencePieceText spt;
  FUZZ_CHECK(sp.Decode(pieces, &spt).ok(), "Decode(pieces, spt) failed");
  CheckDecodedText(spt, text, pieces.size());
  CheckSerialized(spt, sp.DecodePiecesAsSerializedProto(pieces));

  // The payload as a line of spm_decode's piece input: its runs between
  // spaces (none empty), as the piece decoder decodes them.
  std::vector<std::string> runs;
  for (size_t pos = 0; pos <= payload.size();) {
    size_t space = payload.find(' ', pos);
    if (space == std::string_view::npos) space = payload.size();
    if (space > pos) runs.emplace_back(payload.substr(pos, space - pos));
    pos = space + 1;
  }
  SentencePieceText run_spt;
  FUZZ_CHECK(sp.Decode(runs, &run_spt).ok(), "Decode(runs, spt) failed");
  std::string from_line;
  FUZZ_CHECK(sp.processor()->DecodePieceLineToText(payload, &from_line).ok() &&
                 from_line == run_spt.text(),
             "the line decoder differs from the piece decoder");
}

int FuzzDecode(FuzzInput& in) {
  const auto [selector, mode, option_bits] = in.Bytes<3>();
  const std::string_view payload = in.Rest();
  SentencePieceProcessor* sp = SelectModel(selector, payload);
  if (sp == nullptr) return 0;
  const std::string options = ExtraOptions(option_bits);
  if (!sp->SetDecodeExtraOptions(options).ok()) {
    FUZZ_CHECK(sp->SetDecodeExtraOptions("").ok(), "clearing the options failed");
  }
  if (mode & 1) {
    DecodePieces(*sp, payload);
  } else {
    DecodeIds(*sp, payload);
  }
  return 0;
}

}  // namespace
}  // namespace fuzz
}  // namespace sentencepiece

SPM_FUZZ_TARGET(FuzzDecode)
