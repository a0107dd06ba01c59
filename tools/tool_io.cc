#include "tool_io.h"

#include <thread>

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

void ProcessLinesInParallel(std::string_view program, const std::vector<std::string>& files,
                            int num_threads,
                            const std::function<void(const std::string& line, std::string* out)>& fn,
                            OutputFile* sink) {
  if (num_threads <= 1) {
    std::string out;
    ForEachLine(program, files, [&](const std::string& line) {
      out.clear();
      fn(line, &out);
      sink->Write(out);
    });
    return;
  }
  // Lines are gathered into blocks of about kBlockBytes; each block is cut
  // into num_threads contiguous parts, encoded in parallel, and written in
  // order.
  constexpr size_t kBlockBytes = 4 << 20;
  std::vector<std::string> lines;
  size_t block_bytes = 0;
  std::vector<std::string> outputs(num_threads);
  auto flush = [&]() {
    if (lines.empty()) return;
    const size_t per_thread = (lines.size() + num_threads - 1) / num_threads;
    std::vector<std::thread> workers;
    for (int t = 0; t < num_threads; ++t) {
      const size_t begin = std::min(lines.size(), t * per_thread);
      const size_t end = std::min(lines.size(), begin + per_thread);
      outputs[t].clear();
      workers.emplace_back([&, t, begin, end] {
        for (size_t i = begin; i < end; ++i) fn(lines[i], &outputs[t]);
      });
    }
    for (auto& w : workers) w.join();
    for (const std::string& o : outputs) sink->Write(o);
    lines.clear();
    block_bytes = 0;
  };
  ForEachLine(program, files, [&](const std::string& line) {
    lines.push_back(line);
    block_bytes += line.size() + 16;
    if (block_bytes >= kBlockBytes) flush();
  });
  flush();
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
