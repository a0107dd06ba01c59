// spm_decode: decodes pieces or ids, one sequence per line, back to text.
//
//   spm_decode --model=m.model [--input_format=piece|id] [files...]
//
// Same flags and output as the reference. Differences: --output_format=proto
// prints a one-line protobuf text SentencePieceText per line (the reference
// prints nothing); an id that is not a number is read as the reference reads
// it (C atoi), with a warning on stderr.

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "block_pipeline.h"
#include "flags.h"
#include "fatal_error.h"
#include "heap_setup.h"
#include "sentencepiece_processor.h"
#include "tool_io.h"
#include "common/space_scan.h"
#include "encoder/processor.h"

namespace sentencepiece {
namespace {

// Splits on ' ', skipping empty fields (as the reference does).
void SplitPieces(std::string_view line, std::vector<std::string_view>* out) {
  out->clear();
  ForEachNonSpaceRun(line, [out](std::string_view piece) { out->push_back(piece); });
}

// Reads an id as the reference does (C atoi: leading blanks, a sign, then
// digits up to the first non-digit; nothing numeric gives 0), so outputs
// stay identical; anything that is not entirely a number is reported on
// stderr instead of passing silently.
int ParseId(std::string_view token, int64_t line_number) {
  // The common case: up to 9 decimal digits.
  if (!token.empty() && token.size() <= 9) {
    int v = 0;
    size_t i = 0;
    for (; i < token.size() && token[i] >= '0' && token[i] <= '9'; ++i) v = v * 10 + (token[i] - '0');
    if (i == token.size()) return v;
  }
  const std::string s(token);
  char* end = nullptr;
  const long v = std::strtol(s.c_str(), &end, 10);
  while (end != nullptr && *end != '\0' && std::isspace(static_cast<unsigned char>(*end))) ++end;
  if (end == nullptr || end == s.c_str() || *end != '\0') {
    std::fprintf(stderr, "spm_decode: warning: line %lld: \"%s\" is not an id; read as %d\n",
                 static_cast<long long>(line_number), s.c_str(), static_cast<int>(v));
  }
  return static_cast<int>(v);
}

// The ids of a line as spm_encode writes them (decimal ids of up to 9
// digits between spaces) into *ids, in one pass; false for anything else,
// which then goes through SplitPieces() and ParseId().
bool ParsePlainIds(std::string_view line, std::vector<int>* ids) {
  ids->clear();
  int v = 0;
  int digits = 0;
  for (const char c : line) {
    if (c >= '0' && c <= '9') {
      if (++digits > 9) return false;
      v = v * 10 + (c - '0');
    } else if (c == ' ') {
      if (digits > 0) ids->push_back(v);
      v = 0;
      digits = 0;
    } else {
      return false;
    }
  }
  if (digits > 0) ids->push_back(v);
  return true;
}

int Main(int argc, char** argv) {
  const std::string program = "spm_decode";
  std::string model, input, output, input_format = "piece", output_format = "string",
                                    extra_options;
  FlagParser flags(argv[0]);
  flags.Add("model", &model, "model file name");
  flags.Add("input", &input, "input filename");
  flags.Add("output", &output, "output filename");
  flags.Add("input_format", &input_format, "choose from piece or id");
  flags.Add("output_format", &output_format, "choose from string or proto");
  flags.Add("extra_options", &extra_options,
            "':' separated encoder extra options, e.g., \"reverse:bos:eos\"");
  const std::vector<std::string> positional = flags.ParseOrExit(argc, argv);

  if (model.empty()) Die(program, "--model is required");
  if (input_format != "piece" && input_format != "id") {
    Die(program, absl::StrCat("Unknown input format: ", input_format));
  }
  if (output_format != "string" && output_format != "proto") {
    Die(program, absl::StrCat("Unknown output format: ", output_format));
  }
  SentencePieceProcessor sp;
  CheckOk(program, sp.Load(model));
  CheckOk(program, sp.SetDecodeExtraOptions(extra_options));
  std::unique_ptr<OutputFile> out = OpenOutputOrDie(program, output);

  // The string output goes straight through the engine (no proto per line).
  const Processor* engine = sp.processor();
  SentencePieceText spt;
  std::vector<int> ids;
  std::vector<std::string_view> pieces;
  DecodeOutput decoded;
  int64_t line_number = 0;
  auto decode_line = [&](std::string_view line, std::string* o) {
    absl::Status s;
    if (input_format == "id") {
      ++line_number;
      if (!ParsePlainIds(line, &ids)) {
        SplitPieces(line, &pieces);
        ids.clear();
        for (std::string_view p : pieces) ids.push_back(ParseId(p, line_number));
      }
      if (output_format == "string") {
        s = engine->DecodeIdsToText(ids, &decoded.text);
      } else {
        s = engine->DecodeIds(ids, &decoded);
      }
    } else if (output_format == "string") {
      s = engine->DecodePieceLineToText(line, &decoded.text);
    } else {
      SplitPieces(line, &pieces);
      s = engine->Decode(pieces, &decoded);
    }
    CheckOk(program, s);
    if (output_format == "string") {
      o->append(decoded.text);
    } else {
      if (input_format == "id") {
        CheckOk(program, sp.Decode(ids, &spt));
      } else {
        CheckOk(program, sp.Decode(pieces, &spt));
      }
      o->append(ToOneLineTextProto(spt));
    }
    o->push_back('\n');
  };
  // Blocks of whole lines in, each block's output out in one write, as
  // spm_encode reads and writes (a read and two writes a line were ~4% of
  // decoding Japanese pieces or English ids). One thread, so the lines go
  // in input order and line_number counts them.
  ProcessBlocks(program, InputFiles(input, positional), /*num_threads=*/1,
                [&decode_line](std::string_view block, std::string* o) {
                  ForEachLineIn(block, [&](std::string_view line) { decode_line(line, o); });
                },
                out.get());
  CloseOutputOrDie(program, out.get());
  return 0;
}

}  // namespace
}  // namespace sentencepiece

int main(int argc, char** argv) {
  sentencepiece::InstallFatalErrorHandler("spm_decode");
  sentencepiece::SetUpToolHeap();
  return sentencepiece::Main(argc, argv);
}
