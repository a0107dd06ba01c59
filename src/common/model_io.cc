#include "common/model_io.h"

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

absl::StatusOr<std::unique_ptr<ModelProto>> ReadModelProto(const std::string& path) {
  if (path.empty()) return absl::InvalidArgumentError("model file path should not be empty.");
  ASSIGN_OR_RETURN(const std::string bytes, ReadFile(path));
  return ParseModelProto(bytes, absl::StrCat("\"", path, "\""));
}

}  // namespace sentencepiece
