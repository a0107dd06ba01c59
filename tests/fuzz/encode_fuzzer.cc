// Fuzzes encoding: any bytes through every output form of Encode(), with
// and without extra options, on the bundled models.
//
// Input: [model selector][extra-option bits][text...].
// Checks, besides the sanitizers:
//   - without options, the pieces are a segmentation of the normalized text
//     (fuzz_util.h CheckSegmentation);
//   - every output form agrees: pieces, ids, SentencePieceText (offsets and
//     surfaces inside the input), the serialized proto, the *As* forms, and
//     the fast id path (Processor::EncodeIds), and spm_encode's id and
//     piece text (Processor::EncodeIdText, EncodePieceText), also for the
//     text's lines as a run (EncodeIdTextLines, EncodePieceTextLines,
//     EncodeIdsLines);
//   - an option string is accepted only if every word is valid;
//   - the ids decode without error, and, when no piece is unknown, decoding
//     the pieces gives the same text as decoding the ids.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "common/id_text.h"
#include "fuzz_util.h"

namespace sentencepiece {
namespace fuzz {
namespace {

void CheckOutputForms(SentencePieceProcessor& sp, std::string_view text) {
  const Processor& p = *sp.processor();
  SentencePieceText spt;
  FUZZ_CHECK(sp.Encode(text, &spt).ok(), "Encode(SentencePieceText) failed");
  CheckEncodedText(sp, text, spt);
  std::vector<std::string> pieces;
  std::vector<int> ids;
  FUZZ_CHECK(sp.Encode(text, &pieces).ok(), "Encode(pieces) failed");
  FUZZ_CHECK(sp.Encode(text, &ids).ok(), "Encode(ids) failed");
  FUZZ_CHECK(pieces.size() == static_cast<size_t>(spt.pieces_size()), "piece counts differ");
  FUZZ_CHECK(ids.size() == pieces.size(), "id and piece counts differ");
  for (size_t i = 0; i < pieces.size(); ++i) {
    FUZZ_CHECK(pieces[i] == spt.pieces(i).piece(), "pieces differ from SentencePieceText");
    FUZZ_CHECK(ids[i] == static_cast<int>(spt.pieces(i).id()), "ids differ from SentencePieceText");
  }
  FUZZ_CHECK(sp.EncodeAsPieces(text) == pieces, "EncodeAsPieces differs");
  FUZZ_CHECK(sp.EncodeAsIds(text) == ids, "EncodeAsIds differs");
  CheckSerialized(spt, sp.EncodeAsSerializedProto(text));

  std::vector<int> fast;
  FUZZ_CHECK(p.EncodeIds(text, &fast).ok(), "Processor::EncodeIds failed");
  FUZZ_CHECK(fast == ids, "the fast id path differs from Encode()");
  // spm_encode's id and piece output (each from text cached with words).
  std::string id_text, expected_id_text;
  FUZZ_CHECK(p.EncodeIdText(text, &id_text).ok(), "Processor::EncodeIdText failed");
  IdText::Shared().Append(ids, &expected_id_text);
  FUZZ_CHECK(id_text == expected_id_text, "the id text differs from Encode()'s ids");
  std::string piece_text, expected_piece_text;
  FUZZ_CHECK(p.EncodePieceText(text, &piece_text).ok(), "Processor::EncodePieceText failed");
  for (size_t i = 0; i < pieces.size(); ++i) {
    if (i > 0) expected_piece_text += ' ';
    expected_piece_text += pieces[i];
  }
  expected_piece_text += '\n';
  FUZZ_CHECK(piece_text == expected_piece_text, "the piece text differs from Encode()'s pieces");

  // The text as a run of lines (spm_encode's blocks: each line's words are
  // found ahead, while the line before is encoded) prints as its lines
  // one by one.
  const std::vector<std::string_view> lines = SplitLines(text);
  std::string lines_ids, lines_pieces, each_ids, each_pieces;
  FUZZ_CHECK(p.EncodeIdTextLines(lines.data(), lines.size(), &lines_ids).ok(),
             "Processor::EncodeIdTextLines failed");
  FUZZ_CHECK(p.EncodePieceTextLines(lines.data(), lines.size(), &lines_pieces).ok(),
             "Processor::EncodePieceTextLines failed");
  std::vector<std::vector<int>> id_lists(lines.size());
  size_t failed = 0;
  FUZZ_CHECK(p.EncodeIdsLines(lines.data(), lines.size(), id_lists.data(), &failed).ok(),
             "Processor::EncodeIdsLines failed");
  for (size_t i = 0; i < lines.size(); ++i) {
    FUZZ_CHECK(p.EncodeIdText(lines[i], &each_ids).ok(), "Processor::EncodeIdText failed");
    FUZZ_CHECK(p.EncodePieceText(lines[i], &each_pieces).ok(),
               "Processor::EncodePieceText failed");
    std::vector<int> one;
    FUZZ_CHECK(p.EncodeIds(lines[i], &one).ok(), "Processor::EncodeIds failed");
    FUZZ_CHECK(id_lists[i] == one, "a run of lines' ids differ from each line's");
  }
  FUZZ_CHECK(lines_ids == each_ids, "a run of lines' id text differs from each line's");
  FUZZ_CHECK(lines_pieces == each_pieces, "a run of lines' piece text differs from each line's");

  // Decoding what was encoded never fails.
  std::string from_ids, from_pieces;
  FUZZ_CHECK(sp.Decode(ids, &from_ids).ok(), "Decode(ids) of encoded ids failed");
  FUZZ_CHECK(sp.Decode(pieces, &from_pieces).ok(), "Decode(pieces) of encoded pieces failed");
  bool comparable = true;
  for (size_t i = 0; i < ids.size(); ++i) {
    if (sp.IsUnknown(ids[i]) || sp.PieceToId(pieces[i]) != ids[i]) comparable = false;
  }
  if (comparable) {
    FUZZ_CHECK(from_ids == from_pieces, "decoding pieces and ids gives different text");
  }
}

int FuzzEncode(FuzzInput& in) {
  const auto [selector, option_bits] = in.Bytes<2>();
  const std::string_view text = in.Rest();
  SentencePieceProcessor* sp = SelectModel(selector, text);
  if (sp == nullptr) return 0;
  const Processor& p = *sp->processor();

  // Plain encoding: a segmentation of the normalized text.
  FUZZ_CHECK(sp->SetEncodeExtraOptions("").ok(), "clearing the options failed");
  EncodeOutput out;
  FUZZ_CHECK(p.Encode(text, &out).ok(), "Processor::Encode failed");
  FUZZ_CHECK(out.normalized == p.normalizer().Normalize(text),
             "Encode's normalized text differs from Normalize()");
  CheckSegmentation(p, out.normalized, text.size(), out.tokens);
  CheckOutputForms(*sp, text);

  // With extra options.
  const std::string options = ExtraOptions(option_bits);
  if (options.empty()) return 0;
  const util::Status s = sp->SetEncodeExtraOptions(options);
  if (!s.ok()) {
    // Only an unknown word, or bos/eos on a model without that piece.
    const bool bad_word = options.find("nosuchoption") != std::string::npos;
    const bool missing_piece = (options.find("bos") != std::string::npos && sp->bos_id() < 0) ||
                               (options.find("eos") != std::string::npos && sp->eos_id() < 0);
    FUZZ_CHECK(bad_word || missing_piece,
               "valid options rejected: " + options + ": " + s.ToString());
    return 0;
  }
  FUZZ_CHECK(options.find("nosuchoption") == std::string::npos,
             "an unknown option was accepted: " + options);
  CheckOutputForms(*sp, text);
  sp->SetEncodeExtraOptions("").IgnoreError();
  return 0;
}

}  // namespace
}  // namespace fuzz
}  // namespace sentencepiece

SPM_FUZZ_TARGET(FuzzEncode)
