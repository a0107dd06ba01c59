// Reading ModelProto files and bytes.
//
// Parsing only: whether the vocabulary makes sense is checked when a model is
// built from the proto (encoder/vocabulary.h).

#ifndef SPM_SRC_COMMON_MODEL_IO_H_
#define SPM_SRC_COMMON_MODEL_IO_H_

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "sentencepiece_model.pb.h"

namespace sentencepiece {

// Parses serialized ModelProto bytes. `source` names where they came from,
// for the error message (a file name, or "bytes").
absl::StatusOr<std::unique_ptr<ModelProto>> ParseModelProto(std::string_view bytes,
                                                            std::string_view source);

// Reads and parses a .model file. Errors name the file.
absl::StatusOr<std::unique_ptr<ModelProto>> ReadModelProto(const std::string& path);

}  // namespace sentencepiece

#endif  // SPM_SRC_COMMON_MODEL_IO_H_
