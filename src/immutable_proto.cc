// ImmutableSentencePieceText, ImmutableNBestSentencePieceText and the
// *AsImmutableProto methods of SentencePieceProcessor (the 0.1.97 API).
//
// Results are held by shared_ptr; pieces and n-best entries hold aliasing
// shared_ptrs into them (same owner, pointer to the element), which is what
// keeps a piece valid after its result is gone.

#include <algorithm>

#include "sentencepiece.pb.h"
#include "sentencepiece_processor.h"

namespace sentencepiece {
namespace {

// A non-owning pointer to a default instance (shared_ptr's aliasing
// constructor with an empty owner).
template <typename T>
std::shared_ptr<const T> Unowned(const T& t) {
  return std::shared_ptr<const T>(std::shared_ptr<const void>(), &t);
}

// Byte offset -> character index in `text`, for offsets 0..text.size().
// Characters are counted by their UTF-8 lead byte (1 byte for ASCII,
// continuation and invalid bytes, 2/3/4 for 0xC0/0xE0/0xF0 and up), clipped
// at the end of the text.
std::vector<uint32_t> CharIndexOfByte(const std::string& text) {
  static constexpr unsigned char kLen[16] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 3, 4};
  std::vector<uint32_t> index(text.size() + 1, 0);
  uint32_t chars = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t len =
        std::min<size_t>(kLen[static_cast<unsigned char>(text[pos]) >> 4], text.size() - pos);
    std::fill(index.begin() + pos, index.begin() + pos + len, chars);
    ++chars;
    pos += len;
  }
  index[text.size()] = chars;
  return index;
}

void ConvertSpans(SentencePieceText* spt) {
  if (spt->text().empty()) return;
  const std::vector<uint32_t> index = CharIndexOfByte(spt->text());
  auto at = [&](uint32_t byte) { return index[std::min<size_t>(byte, index.size() - 1)]; };
  for (auto& piece : *spt->mutable_pieces()) {
    piece.set_begin(at(piece.begin()));
    piece.set_end(at(piece.end()));
  }
}

}  // namespace

// ------------------------------------------------------------------ one piece

ImmutableSentencePieceText_ImmutableSentencePiece::
    ImmutableSentencePieceText_ImmutableSentencePiece()
    : sp_(Unowned(SentencePieceText_SentencePiece::default_instance())) {}

ImmutableSentencePieceText_ImmutableSentencePiece::
    ImmutableSentencePieceText_ImmutableSentencePiece(
        std::shared_ptr<const SentencePieceText_SentencePiece> sp)
    : sp_(std::move(sp)) {}

const std::string& ImmutableSentencePieceText_ImmutableSentencePiece::piece() const {
  return sp_->piece();
}
const std::string& ImmutableSentencePieceText_ImmutableSentencePiece::surface() const {
  return sp_->surface();
}
uint32_t ImmutableSentencePieceText_ImmutableSentencePiece::id() const { return sp_->id(); }
uint32_t ImmutableSentencePieceText_ImmutableSentencePiece::begin() const { return sp_->begin(); }
uint32_t ImmutableSentencePieceText_ImmutableSentencePiece::end() const { return sp_->end(); }

// ------------------------------------------------------------------ one result

ImmutableSentencePieceText::ImmutableSentencePieceText()
    : spt_(Unowned(SentencePieceText::default_instance())) {}

ImmutableSentencePieceText::ImmutableSentencePieceText(std::shared_ptr<const SentencePieceText> spt)
    : spt_(std::move(spt)) {}

ImmutableSentencePieceText::~ImmutableSentencePieceText() = default;

std::vector<ImmutableSentencePieceText_ImmutableSentencePiece> ImmutableSentencePieceText::pieces()
    const {
  std::vector<ImmutableSentencePieceText_ImmutableSentencePiece> out;
  out.reserve(spt_->pieces_size());
  for (const auto& p : spt_->pieces()) {
    out.push_back(ImmutableSentencePieceText_ImmutableSentencePiece(
        std::shared_ptr<const SentencePieceText_SentencePiece>(spt_, &p)));
  }
  return out;
}

size_t ImmutableSentencePieceText::pieces_size() const { return spt_->pieces_size(); }

ImmutableSentencePieceText_ImmutableSentencePiece ImmutableSentencePieceText::pieces(
    int index) const {
  if (index < 0 || index >= spt_->pieces_size()) return {};
  return ImmutableSentencePieceText_ImmutableSentencePiece(
      std::shared_ptr<const SentencePieceText_SentencePiece>(spt_, &spt_->pieces(index)));
}

const std::string& ImmutableSentencePieceText::text() const { return spt_->text(); }

float ImmutableSentencePieceText::score() const { return spt_->score(); }

util::bytes ImmutableSentencePieceText::SerializeAsString() const {
  return spt_->SerializeAsString();
}

SentencePieceText* ImmutableSentencePieceText::mutable_proto() {
  if (rep_ == nullptr) {
    rep_ = std::make_shared<SentencePieceText>(*spt_);
    spt_ = rep_;
  }
  return rep_.get();
}

void ImmutableSentencePieceText::ConvertToUnicodeSpans() { ConvertSpans(mutable_proto()); }

// ------------------------------------------------------------------ n-best

ImmutableNBestSentencePieceText::ImmutableNBestSentencePieceText() = default;
ImmutableNBestSentencePieceText::~ImmutableNBestSentencePieceText() = default;

size_t ImmutableNBestSentencePieceText::nbests_size() const {
  return rep_ ? rep_->nbests_size() : 0;
}

ImmutableSentencePieceText ImmutableNBestSentencePieceText::nbests(int index) const {
  if (rep_ == nullptr || index < 0 || index >= rep_->nbests_size()) return {};
  return ImmutableSentencePieceText(
      std::shared_ptr<const SentencePieceText>(rep_, &rep_->nbests(index)));
}

std::vector<ImmutableSentencePieceText> ImmutableNBestSentencePieceText::nbests() const {
  std::vector<ImmutableSentencePieceText> out;
  const int n = static_cast<int>(nbests_size());
  out.reserve(n);
  for (int i = 0; i < n; ++i) out.push_back(nbests(i));
  return out;
}

util::bytes ImmutableNBestSentencePieceText::SerializeAsString() const {
  return rep_ ? rep_->SerializeAsString() : "";
}

NBestSentencePieceText* ImmutableNBestSentencePieceText::mutable_proto() {
  if (rep_ == nullptr) rep_ = std::make_shared<NBestSentencePieceText>();
  return rep_.get();
}

void ImmutableNBestSentencePieceText::ConvertToUnicodeSpans() {
  for (auto& spt : *mutable_proto()->mutable_nbests()) ConvertSpans(&spt);
}

// ------------------------------------------------------------------ SentencePieceProcessor
// Errors are dropped, as in the other value-returning forms: the result is
// then whatever the call left (empty).

ImmutableSentencePieceText SentencePieceProcessor::EncodeAsImmutableProto(
    std::string_view input) const {
  ImmutableSentencePieceText out;
  Encode(input, out.mutable_proto()).IgnoreError();
  return out;
}

ImmutableSentencePieceText SentencePieceProcessor::SampleEncodeAsImmutableProto(
    std::string_view input, int nbest_size, float alpha) const {
  ImmutableSentencePieceText out;
  SampleEncode(input, nbest_size, alpha, out.mutable_proto()).IgnoreError();
  return out;
}

ImmutableNBestSentencePieceText SentencePieceProcessor::NBestEncodeAsImmutableProto(
    std::string_view input, int nbest_size) const {
  ImmutableNBestSentencePieceText out;
  NBestEncode(input, nbest_size, out.mutable_proto()).IgnoreError();
  return out;
}

ImmutableNBestSentencePieceText SentencePieceProcessor::SampleEncodeAndScoreAsImmutableProto(
    std::string_view input, int num_samples, float alpha, bool wor, bool include_best) const {
  ImmutableNBestSentencePieceText out;
  SampleEncodeAndScore(input, num_samples, alpha, wor, include_best, out.mutable_proto())
      .IgnoreError();
  return out;
}

ImmutableSentencePieceText SentencePieceProcessor::DecodePiecesAsImmutableProto(
    const std::vector<std::string>& pieces) const {
  ImmutableSentencePieceText out;
  Decode(pieces, out.mutable_proto()).IgnoreError();
  return out;
}

ImmutableSentencePieceText SentencePieceProcessor::DecodePiecesAsImmutableProto(
    const std::vector<std::string_view>& pieces) const {
  ImmutableSentencePieceText out;
  Decode(pieces, out.mutable_proto()).IgnoreError();
  return out;
}

ImmutableSentencePieceText SentencePieceProcessor::DecodeIdsAsImmutableProto(
    const std::vector<int>& ids) const {
  ImmutableSentencePieceText out;
  Decode(ids, out.mutable_proto()).IgnoreError();
  return out;
}

}  // namespace sentencepiece
