#include "tool_io.h"

#include "facade_util.h"
#include "flags.h"
#include "google/protobuf/text_format.h"

namespace sentencepiece {

std::vector<std::string> InputFiles(const std::string& input_flag,
                                    const std::vector<std::string>& positional) {
  if (!input_flag.empty()) return {input_flag};
  if (!positional.empty()) return positional;
  return {""};
}

void ForEachLine(std::string_view program, const std::vector<std::string>& files,
                 const std::function<void(const std::string& line)>& fn) {
  std::string line;
  for (const std::string& file : files) {
    auto reader = LineReader::Open(file);
    if (!reader.ok()) Die(program, std::string(reader.status().message()));
    while ((*reader)->ReadLine(&line)) fn(line);
    if (!(*reader)->status().ok()) Die(program, std::string((*reader)->status().message()));
  }
}

std::unique_ptr<OutputFile> OpenOutputOrDie(std::string_view program, const std::string& path) {
  auto out = OutputFile::Open(path);
  if (!out.ok()) Die(program, std::string(out.status().message()));
  return *std::move(out);
}

void CloseOutputOrDie(std::string_view program, OutputFile* out) {
  const absl::Status s = out->Close();
  if (!s.ok()) Die(program, std::string(s.message()));
}

std::string ToOneLineTextProto(const google::protobuf::Message& m) {
  google::protobuf::TextFormat::Printer printer;
  printer.SetSingleLineMode(true);
  printer.SetUseUtf8StringEscaping(true);
  std::string out;
  printer.PrintToString(m, &out);
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

void CheckOk(std::string_view program, const util::Status& status) {
  if (!status.ok()) Die(program, status.ToString());
}

void CheckOk(std::string_view program, const absl::Status& status) {
  if (!status.ok()) Die(program, facade::ToUtil(status).ToString());
}

}  // namespace sentencepiece
