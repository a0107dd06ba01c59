#include "facade_util.h"

namespace sentencepiece {
namespace facade {

util::Status ToUtil(const absl::Status& s) {
  if (s.ok()) return util::Status();
  return util::Status(static_cast<util::StatusCode>(s.code()),
                      std::string_view(s.message().data(), s.message().size()));
}

const util::Status& NotLoaded() {
  static const auto* s =
      new util::Status(util::StatusCode::kInternal, "Model is not initialized.");
  return *s;
}

void FillTokens(std::string_view input, const std::vector<Token>& tokens, SentencePieceText* spt) {
  spt->Clear();
  for (const Token& t : tokens) {
    auto* p = spt->add_pieces();
    p->set_piece(t.piece.data(), t.piece.size());
    p->set_id(static_cast<uint32_t>(t.id));
    if (t.has_surface) p->set_surface(input.data() + t.begin, t.end - t.begin);
    if (t.has_offsets) {
      p->set_begin(t.begin);
      p->set_end(t.end);
    }
  }
  spt->set_text(input.data(), input.size());
}

void FillDecoded(const DecodeOutput& out, SentencePieceText* spt) {
  spt->Clear();
  for (const DecodedPiece& d : out.pieces) {
    auto* p = spt->add_pieces();
    p->set_piece(d.piece.data(), d.piece.size());
    p->set_id(static_cast<uint32_t>(d.id));
    p->set_surface(out.surfaces.data() + d.begin, d.end - d.begin);
    p->set_begin(d.begin);
    p->set_end(d.end);
  }
  spt->set_text(out.text);
}

}  // namespace facade
}  // namespace sentencepiece
