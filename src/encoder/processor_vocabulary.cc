// Processor: restricting the vocabulary the encoder may emit.

#include <set>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/absl_compat.h"
#include "common/file_io.h"
#include "common/status_macros.h"
#include "common/utf8.h"
#include "encoder/processor.h"

namespace sentencepiece {

absl::Status Processor::SetVocabulary(const std::vector<std::string_view>& valid) {
  const auto type = proto_->trainer_spec().model_type();
  if (type != TrainerSpec::UNIGRAM && type != TrainerSpec::BPE) {
    return absl::InternalError("Vocabulary constraint is only enabled in subword units.");
  }
  using SP = ModelProto::SentencePiece;
  full_proto();  // The proto's piece types follow the vocabulary's.
  const std::set<std::string_view> allowed(valid.begin(), valid.end());
  Vocabulary* v = model_->mutable_vocab();
  for (int id = 0; id < proto_->pieces_size(); ++id) {
    SP* piece = proto_->mutable_pieces(id);
    if (piece->type() == SP::CONTROL || piece->type() == SP::UNKNOWN ||
        piece->type() == SP::USER_DEFINED) {
      continue;
    }
    const std::string& p = piece->piece();
    const bool keep = allowed.count(p) > 0 || utf8::OneCharLen(p[0]) == p.size();
    piece->set_type(keep ? SP::NORMAL : SP::UNUSED);
    v->SetType(id, piece->type());
  }
  return absl::OkStatus();
}

absl::Status Processor::ResetVocabulary() {
  using SP = ModelProto::SentencePiece;
  full_proto();
  for (int id = 0; id < proto_->pieces_size(); ++id) {
    if (proto_->pieces(id).type() == SP::UNUSED) {
      proto_->mutable_pieces(id)->set_type(SP::NORMAL);
      model_->mutable_vocab()->SetType(id, SP::NORMAL);
    }
  }
  return absl::OkStatus();
}

absl::Status Processor::LoadVocabulary(const std::string& path, int threshold) {
  ASSIGN_OR_RETURN(auto reader, LineReader::Open(path));
  std::vector<std::string> pieces;
  std::string line;
  int line_number = 0;
  while (reader->ReadLine(&line)) {
    ++line_number;
    // "piece" or "piece<TAB>count"; empty fields are skipped, as the
    // reference splits lines.
    std::vector<std::string_view> fields;
    for (std::string_view rest = line; !rest.empty();) {
      const size_t tab = rest.find('\t');
      if (tab != 0) fields.push_back(rest.substr(0, tab));
      if (tab == std::string_view::npos) break;
      rest.remove_prefix(tab + 1);
    }
    if (fields.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ":", line_number, ": empty line in vocabulary file"));
    }
    int count = 1;
    if (fields.size() >= 2 && !absl::SimpleAtoi(ToAbsl(fields[1]), &count)) {
      return absl::InvalidArgumentError(absl::StrCat(
          path, ":", line_number, ": Could not parse the frequency \"", ToAbsl(fields[1]), "\""));
    }
    if (count >= threshold) pieces.emplace_back(fields[0]);
  }
  RETURN_IF_ERROR(reader->status());
  return SetVocabulary(std::vector<std::string_view>(pieces.begin(), pieces.end()));
}

}  // namespace sentencepiece
