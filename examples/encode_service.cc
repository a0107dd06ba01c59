// encode_service: a minimal tokenization service on stdin/stdout, built
// against the installed spm package (see examples/CMakeLists.txt).
//
//   encode_service --model=M [--threads=N] [--format=ids|pieces|offsets]
//
// Each input line is a request (the text to encode); each output line is
// its answer, in order:
//   ids      "151 88 21 887"                  (default; = spm_encode --output_format=id)
//   pieces   "▁Hello ▁world"                  (= spm_encode --output_format=piece)
//   offsets  "151:0-5 88:5-11"                (id:begin-end, byte offsets in the request)
//
// Requests are micro-batched: whatever has already arrived (up to 4096
// lines) is encoded at once with the batch API across N threads, and the
// answers are flushed before waiting for more input. An interactive client
// gets each answer right away; a bulk client gets full batches.

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "sentencepiece_processor.h"

namespace {

constexpr size_t kMaxBatch = 4096;

struct Options {
  std::string model;
  int threads = 0;  // 0: all cores.
  std::string format = "ids";
};

bool ParseArgs(int argc, char** argv, Options* o) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    auto value = [&](std::string_view name) -> const char* {
      return arg.substr(0, name.size()) == name ? argv[i] + name.size() : nullptr;
    };
    if (const char* v = value("--model=")) {
      o->model = v;
    } else if (const char* v = value("--threads=")) {
      o->threads = std::atoi(v);
    } else if (const char* v = value("--format=")) {
      o->format = v;
    } else {
      return false;
    }
  }
  return !o->model.empty() &&
         (o->format == "ids" || o->format == "pieces" || o->format == "offsets");
}

// Reads one batch of requests: at least one line (blocking), then the lines
// already buffered. Returns false at end of input with nothing read.
bool ReadBatch(std::vector<std::string>* lines) {
  lines->clear();
  std::string line;
  while (lines->size() < kMaxBatch && std::getline(std::cin, line)) {
    lines->push_back(std::move(line));
    if (std::cin.rdbuf()->in_avail() <= 0) break;
  }
  return !lines->empty();
}

}  // namespace

int main(int argc, char** argv) {
  Options opt;
  if (!ParseArgs(argc, argv, &opt)) {
    std::cerr << "usage: encode_service --model=M [--threads=N] [--format=ids|pieces|offsets]\n";
    return 2;
  }
  sentencepiece::SentencePieceProcessor sp;
  if (const auto status = sp.Load(opt.model); !status.ok()) {
    std::cerr << "encode_service: " << status.ToString() << "\n";
    return 1;
  }
  std::ios::sync_with_stdio(false);

  std::vector<std::string> lines;
  std::vector<std::string_view> requests;
  sentencepiece::EncodedBatch batch;  // Reused: its buffers are replaced each time.
  std::string out;
  while (ReadBatch(&lines)) {
    requests.assign(lines.begin(), lines.end());
    out.clear();
    if (opt.format == "ids") {
      for (const std::vector<int>& ids : sp.EncodeAsIdsBatch(requests, opt.threads)) {
        for (size_t i = 0; i < ids.size(); ++i) {
          if (i > 0) out += ' ';
          out += std::to_string(ids[i]);
        }
        out += '\n';
      }
    } else {
      if (const auto status = sp.EncodeBatch(requests, opt.threads, &batch); !status.ok()) {
        std::cerr << "encode_service: " << status.ToString() << "\n";
        return 1;
      }
      for (size_t r = 0; r < batch.size(); ++r) {
        bool first = true;
        for (const sentencepiece::PieceView& p : batch.pieces(r)) {
          if (!first) out += ' ';
          first = false;
          if (opt.format == "pieces") {
            out += p.piece;  // A view into `batch`: no copy until here.
          } else {
            out +=
                std::to_string(p.id) + ":" + std::to_string(p.begin) + "-" + std::to_string(p.end);
          }
        }
        out += '\n';
      }
    }
    std::cout << out << std::flush;
  }
  return 0;
}
