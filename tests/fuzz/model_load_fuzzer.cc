// Fuzzes model loading: arbitrary bytes as a .model file, through
// LoadFromSerializedProto (parsing, the vocabulary checks, the tries, the
// normalizer's charsmap, the self-test). Loading fails with InvalidArgument
// (not a ModelProto) or Internal (a check failed), or succeeds; a model that
// loads is then used (fuzz_util.h ExerciseLoadedModel), since one that
// passes the checks may still be odd (huge or NaN scores, pieces with NUL or
// invalid UTF-8, reserved and normal pieces with the same string, corrupt
// charsmaps...).
//
// Input: the model bytes. Seeds: the small bundled models and a few edited
// ones; the model mutation test (tests/hardening/model_mutation.h) covers
// truncations, byte flips and field edits of every bundled model.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_util.h"

namespace sentencepiece {
namespace fuzz {
namespace {

int FuzzModelLoad(FuzzInput& in) {
  const std::string_view bytes = in.Rest();
  SetContext("(the input)", bytes.substr(0, 64));
  SentencePieceProcessor sp;
  const util::Status s = sp.LoadFromSerializedProto(bytes);
  if (!s.ok()) {
    FUZZ_CHECK(
        s.code() == util::StatusCode::kInvalidArgument || s.code() == util::StatusCode::kInternal,
        "unexpected load error code: " + s.ToString());
    FUZZ_CHECK(!sp.status().ok(), "a failed load left the processor loaded");
    return 0;
  }
  ExerciseLoadedModel(sp);
  return 0;
}

}  // namespace
}  // namespace fuzz
}  // namespace sentencepiece

SPM_FUZZ_TARGET(FuzzModelLoad)
