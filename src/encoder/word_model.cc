#include "encoder/word_model.h"

#include <algorithm>

#include "common/status_macros.h"
#include "common/utf8.h"

namespace sentencepiece {

std::vector<std::string_view> SplitIntoWords(std::string_view text) {
  std::vector<std::string_view> words;
  size_t start = 0;
  for (size_t pos = 0; pos < text.size();) {
    const size_t len = std::min(text.size() - pos, utf8::OneCharLen(text[pos]));
    if (pos > 0 && text.substr(pos, len) == utf8::kSpaceSymbol) {
      words.push_back(text.substr(start, pos - start));
      start = pos;
    }
    pos += len;
  }
  if (start < text.size()) words.push_back(text.substr(start));
  return words;
}

absl::StatusOr<std::unique_ptr<Model>> WordModel::Create(const ModelProto& proto,
                                                        Vocabulary vocab) {
  return std::unique_ptr<Model>(new WordModel(proto, std::move(vocab)));
}

void WordModel::Encode(std::string_view normalized, EncodeResult* out) const {
  out->clear();
  for (std::string_view w : SplitIntoWords(normalized)) out->push_back({w, vocab_.PieceToId(w)});
}

}  // namespace sentencepiece
