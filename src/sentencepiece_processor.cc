#include "sentencepiece_processor.h"

#include <cstdio>
#include <cstdlib>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/file_io.h"
#include "common/model_io.h"
#include "encoder/processor.h"
#include "facade_util.h"

namespace sentencepiece {
namespace {

using facade::FillDecoded;
using facade::FillTokens;
using facade::NotLoaded;
using facade::ToUtil;

std::vector<std::string_view> ToViews(const std::vector<std::string>& pieces) {
  return std::vector<std::string_view>(pieces.begin(), pieces.end());
}

}  // namespace

SentencePieceProcessor::SentencePieceProcessor() = default;
SentencePieceProcessor::~SentencePieceProcessor() = default;

util::Status SentencePieceProcessor::Load(std::string_view filename) {
  processor_.reset();
  const std::string path(filename);
  if (path.empty()) return ToUtil(absl::InvalidArgumentError("model file path should not be empty."));
  auto bytes = ReadFile(path);
  if (!bytes.ok()) return ToUtil(bytes.status());
  auto p = Processor::CreateFromBytes(std::move(bytes).value(), absl::StrCat("\"", path, "\""));
  if (!p.ok()) return ToUtil(p.status());
  processor_ = std::move(p).value();
  return util::Status();
}

void SentencePieceProcessor::LoadOrDie(std::string_view filename) {
  const util::Status s = Load(filename);
  if (!s.ok()) {
    std::fprintf(stderr, "%s\n", s.ToString().c_str());
    std::abort();
  }
}

util::Status SentencePieceProcessor::Load(const ModelProto& model_proto) {
  return Load(std::make_unique<ModelProto>(model_proto));
}

util::Status SentencePieceProcessor::Load(std::unique_ptr<ModelProto> model_proto) {
  processor_.reset();
  if (model_proto == nullptr) return NotLoaded();
  auto p = Processor::Create(std::move(model_proto));
  if (!p.ok()) return ToUtil(p.status());
  processor_ = std::move(p).value();
  return util::Status();
}

util::Status SentencePieceProcessor::LoadFromSerializedProto(std::string_view serialized) {
  processor_.reset();
  auto p = Processor::CreateFromBytes(std::string(serialized), "serialized model");
  if (!p.ok()) return ToUtil(p.status());
  processor_ = std::move(p).value();
  return util::Status();
}

util::Status SentencePieceProcessor::status() const {
  return processor_ ? util::Status() : NotLoaded();
}

util::Status SentencePieceProcessor::SetEncodeExtraOptions(std::string_view extra_option) {
  if (!processor_) return NotLoaded();
  auto o = processor_->ParseExtraOptions(extra_option);
  if (!o.ok()) return ToUtil(o.status());
  processor_->set_encode_options(*std::move(o));
  return util::Status();
}

util::Status SentencePieceProcessor::SetDecodeExtraOptions(std::string_view extra_option) {
  if (!processor_) return NotLoaded();
  auto o = processor_->ParseExtraOptions(extra_option);
  if (!o.ok()) return ToUtil(o.status());
  processor_->set_decode_options(*std::move(o));
  return util::Status();
}

// ------------------------------------------------------------------ encoding

util::Status SentencePieceProcessor::Encode(std::string_view input,
                                            std::vector<std::string>* pieces) const {
  if (!processor_) return NotLoaded();
  if (auto s = processor_->EncodePieces(input, pieces); !s.ok()) {
    pieces->clear();
    return ToUtil(s);
  }
  return util::Status();
}

util::Status SentencePieceProcessor::Encode(std::string_view input, std::vector<int>* ids) const {
  if (!processor_) return NotLoaded();
  // The ids-only path: no offsets, no tokens (Processor::EncodeIds).
  if (auto s = processor_->EncodeIds(input, ids); !s.ok()) {
    ids->clear();
    return ToUtil(s);
  }
  return util::Status();
}

util::Status SentencePieceProcessor::Encode(std::string_view input, SentencePieceText* spt) const {
  if (!processor_) return NotLoaded();
  EncodeOutput out;
  if (auto s = processor_->Encode(input, &out); !s.ok()) return ToUtil(s);
  FillTokens(input, out.tokens, spt);
  return util::Status();
}

std::vector<std::string> SentencePieceProcessor::EncodeAsPieces(std::string_view input) const {
  std::vector<std::string> pieces;
  Encode(input, &pieces).IgnoreError();
  return pieces;
}

std::vector<int> SentencePieceProcessor::EncodeAsIds(std::string_view input) const {
  std::vector<int> ids;
  Encode(input, &ids).IgnoreError();
  return ids;
}

util::bytes SentencePieceProcessor::EncodeAsSerializedProto(std::string_view input) const {
  SentencePieceText spt;
  Encode(input, &spt).IgnoreError();
  return spt.SerializeAsString();
}

// ------------------------------------------------------------------ decoding

util::Status SentencePieceProcessor::Decode(const std::vector<std::string>& pieces,
                                            std::string* detokenized) const {
  return Decode(ToViews(pieces), detokenized);
}

util::Status SentencePieceProcessor::Decode(const std::vector<std::string_view>& pieces,
                                            std::string* detokenized) const {
  if (!processor_) return NotLoaded();
  if (auto s = processor_->DecodePiecesToText(pieces, detokenized); !s.ok()) return ToUtil(s);
  return util::Status();
}

util::Status SentencePieceProcessor::Decode(const std::vector<int>& ids,
                                            std::string* detokenized) const {
  if (!processor_) return NotLoaded();
  if (auto s = processor_->DecodeIdsToText(ids, detokenized); !s.ok()) return ToUtil(s);
  return util::Status();
}

util::Status SentencePieceProcessor::Decode(const std::vector<std::string>& pieces,
                                            SentencePieceText* spt) const {
  return Decode(ToViews(pieces), spt);
}

util::Status SentencePieceProcessor::Decode(const std::vector<std::string_view>& pieces,
                                            SentencePieceText* spt) const {
  if (!processor_) return NotLoaded();
  DecodeOutput out;
  if (auto s = processor_->Decode(pieces, &out); !s.ok()) return ToUtil(s);
  FillDecoded(out, spt);
  return util::Status();
}

util::Status SentencePieceProcessor::Decode(const std::vector<int>& ids,
                                            SentencePieceText* spt) const {
  if (!processor_) return NotLoaded();
  DecodeOutput out;
  if (auto s = processor_->DecodeIds(ids, &out); !s.ok()) return ToUtil(s);
  FillDecoded(out, spt);
  return util::Status();
}

std::string SentencePieceProcessor::DecodePieces(const std::vector<std::string>& pieces) const {
  std::string text;
  Decode(pieces, &text).IgnoreError();
  return text;
}

std::string SentencePieceProcessor::DecodePieces(
    const std::vector<std::string_view>& pieces) const {
  std::string text;
  Decode(pieces, &text).IgnoreError();
  return text;
}

std::string SentencePieceProcessor::DecodeIds(const std::vector<int>& ids) const {
  std::string text;
  Decode(ids, &text).IgnoreError();
  return text;
}

util::bytes SentencePieceProcessor::DecodePiecesAsSerializedProto(
    const std::vector<std::string>& pieces) const {
  SentencePieceText spt;
  Decode(pieces, &spt).IgnoreError();
  return spt.SerializeAsString();
}

util::bytes SentencePieceProcessor::DecodePiecesAsSerializedProto(
    const std::vector<std::string_view>& pieces) const {
  SentencePieceText spt;
  Decode(pieces, &spt).IgnoreError();
  return spt.SerializeAsString();
}

util::bytes SentencePieceProcessor::DecodeIdsAsSerializedProto(const std::vector<int>& ids) const {
  SentencePieceText spt;
  Decode(ids, &spt).IgnoreError();
  return spt.SerializeAsString();
}

// ------------------------------------------------------------------ vocabulary

int SentencePieceProcessor::GetPieceSize() const {
  return processor_ ? processor_->vocab().size() : 0;
}

int SentencePieceProcessor::PieceToId(std::string_view piece) const {
  return processor_ ? processor_->vocab().PieceToId(piece) : 0;
}

const std::string& SentencePieceProcessor::IdToPiece(int id) const {
  static const std::string* kEmpty = new std::string;
  if (!processor_ || id < 0 || id >= processor_->vocab().size()) return *kEmpty;
  return processor_->full_proto().pieces(id).piece();
}

float SentencePieceProcessor::GetScore(int id) const {
  if (!processor_ || id < 0 || id >= processor_->vocab().size()) return 0.0f;
  return processor_->vocab().GetScore(id);
}

bool SentencePieceProcessor::IsUnknown(int id) const {
  return processor_ && processor_->vocab().IsUnknown(id);
}
bool SentencePieceProcessor::IsControl(int id) const {
  return processor_ && processor_->vocab().IsControl(id);
}
bool SentencePieceProcessor::IsUnused(int id) const {
  return processor_ && processor_->vocab().IsUnused(id);
}
bool SentencePieceProcessor::IsByte(int id) const {
  return processor_ && processor_->vocab().IsByte(id);
}

int SentencePieceProcessor::unk_id() const {
  if (!processor_) return -1;
  const int id = PieceToId(processor_->unk_piece());
  return IsUnknown(id) ? id : -1;
}
int SentencePieceProcessor::bos_id() const {
  if (!processor_) return -1;
  const int id = PieceToId(processor_->bos_piece());
  return IsControl(id) ? id : -1;
}
int SentencePieceProcessor::eos_id() const {
  if (!processor_) return -1;
  const int id = PieceToId(processor_->eos_piece());
  return IsControl(id) ? id : -1;
}
int SentencePieceProcessor::pad_id() const {
  if (!processor_) return -1;
  const int id = PieceToId(processor_->pad_piece());
  return IsControl(id) ? id : -1;
}

const ModelProto& SentencePieceProcessor::model_proto() const {
  static const auto* kEmpty = new ModelProto;
  return processor_ ? processor_->full_proto() : *kEmpty;
}

util::bytes SentencePieceProcessor::serialized_model_proto() const {
  return processor_ ? processor_->full_proto().SerializeAsString() : "";
}

}  // namespace sentencepiece
