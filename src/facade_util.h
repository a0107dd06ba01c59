// Internal helpers of the SentencePieceProcessor facade: converting
// statuses and filling the result protos. Not installed.

#ifndef SPM_SRC_FACADE_UTIL_H_
#define SPM_SRC_FACADE_UTIL_H_

#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "encoder/processor.h"
#include "sentencepiece.pb.h"
#include "sentencepiece_status.h"

namespace sentencepiece {
namespace facade {

util::Status ToUtil(const absl::Status& s);

// The status every method returns before a successful Load().
const util::Status& NotLoaded();

// Copies tokens into `spt` (appending pieces; text = input), leaving unset
// exactly the fields the reference leaves unset.
void FillTokens(std::string_view input, const std::vector<Token>& tokens, SentencePieceText* spt);

// Copies a decode result into `spt`.
void FillDecoded(const DecodeOutput& out, SentencePieceText* spt);

}  // namespace facade
}  // namespace sentencepiece

#endif  // SPM_SRC_FACADE_UTIL_H_
