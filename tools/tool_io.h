// Shared plumbing of the spm_* tools: reading every input line from the
// input files (or stdin) and writing to an output file (atomically) or
// stdout, dying with a clear message on any error.

#ifndef SPM_TOOLS_TOOL_IO_H_
#define SPM_TOOLS_TOOL_IO_H_

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/file_io.h"
#include "google/protobuf/message.h"
#include "sentencepiece_status.h"

namespace sentencepiece {

// The files to read: --input if set, else the positional arguments, else
// stdin (""), as the reference tools choose them.
std::vector<std::string> InputFiles(const std::string& input_flag,
                                    const std::vector<std::string>& positional);

// Calls fn(line) for every line of every file; dies on a read error.
void ForEachLine(std::string_view program, const std::vector<std::string>& files,
                 const std::function<void(const std::string& line)>& fn);

// Opens --output ("" = stdout) or dies.
std::unique_ptr<OutputFile> OpenOutputOrDie(std::string_view program, const std::string& path);

// Closes the output (renaming the file into place) or dies.
void CloseOutputOrDie(std::string_view program, OutputFile* out);

// `m` as protobuf text format on one line (UTF-8 unescaped), the form the
// tools print for --output_format=proto.
std::string ToOneLineTextProto(const google::protobuf::Message& m);

// Dies with the status if it is not OK.
void CheckOk(std::string_view program, const util::Status& status);
// The same for a status from the engine, printed as the public API prints
// it ("Out of range: Invalid id: 9", not "OUT_OF_RANGE: ...").
void CheckOk(std::string_view program, const absl::Status& status);

}  // namespace sentencepiece

#endif  // SPM_TOOLS_TOOL_IO_H_
