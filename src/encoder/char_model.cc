#include "encoder/char_model.h"

#include "common/status_macros.h"

namespace sentencepiece {

absl::StatusOr<std::unique_ptr<Model>> CharModel::Create(const ModelProto& proto,
                                                        Vocabulary vocab) {
  return std::unique_ptr<Model>(new CharModel(proto, std::move(vocab)));
}

void CharModel::Encode(std::string_view normalized, EncodeResult* out) const {
  out->clear();
  const PrefixMatcher& matcher = vocab_.user_defined_matcher();
  while (!normalized.empty()) {
    bool found;
    const size_t len = matcher.PrefixMatch(normalized, &found);
    const std::string_view piece = normalized.substr(0, len);
    out->push_back({piece, vocab_.PieceToId(piece)});
    normalized.remove_prefix(len);
  }
}

}  // namespace sentencepiece
