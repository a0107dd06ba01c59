// Options as protobuf fields: setting a TrainerSpec/NormalizerSpec field from
// its text form, and printing a spec, both by reflection.
//
// Every training option is one field of TrainerSpec or NormalizerSpec
// (proto/sentencepiece_model.proto: its name, type and default live there
// only). spm_train's flags, SentencePieceTrainer::Train("--k=v ...") and
// Train({{"k", "v"}}) all come through SetSpecField, so a new option needs no
// code here.
//
// Text forms, by field type:
//   string, bytes          the value as is
//   repeated string        comma-separated (CSV, "..." quoting; see SplitCsv),
//                          appended to the field
//   int32/int64/uint32/64  decimal, range-checked
//   float, double          decimal (a float field is parsed as double first,
//                          as the reference does)
//   bool                   1/t/true/y/yes or 0/f/false/n/no, any case; empty
//                          means true
//   enum                   the value name, any case ("bpe" -> BPE)
// A value that does not parse is an InvalidArgument error naming the field,
// e.g. `vocab_size: cannot parse "abc" as int32.`; the reference silently
// stores 0 from the command line.

#ifndef SPM_SRC_TRAINER_SPEC_FIELDS_H_
#define SPM_SRC_TRAINER_SPEC_FIELDS_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "google/protobuf/message.h"

namespace sentencepiece {

// Sets field `name` of `message` from `value`. Errors: NotFound
// `unknown field name "x" in TrainerSpec.` (the reference's text) if there is
// no such field; InvalidArgument naming the field for a bad value.
absl::Status SetSpecField(std::string_view name, std::string_view value,
                          google::protobuf::Message* message);

// Sets every singular field of `message` named in `names` that is not set yet
// to its default, so that it is serialized (the reference's spm_train writes
// each field it has a flag for).
void SetUnsetFieldsToDefaults(const std::vector<std::string>& names,
                              google::protobuf::Message* message);

// The text form SetSpecField accepts for the field's default value
// ("8000", "true", "UNIGRAM", "\" ⁇ \"" is printed without quotes: " ⁇ ").
std::string DefaultValueText(const google::protobuf::FieldDescriptor& field);

// "name {\n  field: value\n ...}\n": every repeated value and every
// non-deprecated singular field (set or default) in declaration order,
// strings unquoted, bytes fields left out; what the trainer logs first.
std::string PrintSpec(const google::protobuf::Message& message, std::string_view name);

// Splits comma-separated values as SentencePiece's StrSplitAsCSV does:
// "a,b" -> [a, b]; "a,,b" -> [a, "", b]; "a," -> [a]; "" -> [];
// "\"x,y\",z" -> ["x,y", z]; inside quotes "" is a quote.
std::vector<std::string> SplitCsv(std::string_view text);

// Parses a bool word as above (case-insensitive); false if not one.
bool ParseBoolWord(std::string_view text, bool* value);

}  // namespace sentencepiece

#endif  // SPM_SRC_TRAINER_SPEC_FIELDS_H_
