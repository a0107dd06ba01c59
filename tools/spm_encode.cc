// spm_encode: encodes text line by line with a SentencePiece model.
//
//   spm_encode --model=m.model [--output_format=piece|id|proto] [files...]
//
// Same flags and output as the reference. Difference: --output_format=proto
// prints each result as a one-line protobuf text SentencePieceText (with
// byte offsets), where the reference prints nothing.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "flags.h"
#include "sentencepiece_processor.h"
#include "tool_io.h"

namespace sentencepiece {
namespace {

int Main(int argc, char** argv) {
  const std::string program = "spm_encode";
  std::string model, output_format = "piece", input, output, extra_options, vocabulary;
  int32_t nbest_size = 10, vocabulary_threshold = 0;
  double alpha = 0.5;
  uint32_t random_seed = static_cast<uint32_t>(-1);
  bool generate_vocabulary = false;

  FlagParser flags(argv[0]);
  flags.Add("model", &model, "model file name");
  flags.Add("output_format", &output_format,
            "choose from piece, id, proto, nbest_piece, nbest_id, or nbest_proto");
  flags.Add("input", &input, "input filename");
  flags.Add("output", &output, "output filename");
  flags.Add("extra_options", &extra_options,
            "':' separated encoder extra options, e.g., \"reverse:bos:eos\"");
  flags.Add("nbest_size", &nbest_size, "NBest size");
  flags.Add("alpha", &alpha, "Smoothing parameter for sampling mode.");
  flags.Add("random_seed", &random_seed, "Seed value for random generator.");
  flags.Add("vocabulary", &vocabulary,
            "Restrict the vocabulary. The encoder only emits the tokens in \"vocabulary\" file");
  flags.Add("vocabulary_threshold", &vocabulary_threshold,
            "Words with frequency < threshold will be treated as OOV");
  flags.Add("generate_vocabulary", &generate_vocabulary,
            "Generates vocabulary file instead of segmentation");
  const std::vector<std::string> positional = flags.ParseOrExit(argc, argv);

  SetRandomGeneratorSeed(random_seed);
  if (model.empty()) Die(program, "--model is required");
  SentencePieceProcessor sp;
  CheckOk(program, sp.Load(model));
  CheckOk(program, sp.SetEncodeExtraOptions(extra_options));
  if (!vocabulary.empty()) CheckOk(program, sp.LoadVocabulary(vocabulary, vocabulary_threshold));

  std::function<void(const std::string&)> process;
  std::unique_ptr<OutputFile> out = OpenOutputOrDie(program, output);
  std::vector<std::string> pieces;
  std::vector<int> ids;
  std::vector<std::vector<std::string>> nbest_pieces;
  std::vector<std::vector<int>> nbest_ids;
  SentencePieceText spt;
  NBestSentencePieceText nbest_spt;
  auto write_line = [&out](std::string_view s) {
    out->Write(s);
    out->Write("\n");
  };
  absl::flat_hash_map<std::string, int64_t> counts;

  if (generate_vocabulary) {
    process = [&](const std::string& line) {
      CheckOk(program, sp.Encode(line, &spt));
      for (const auto& p : spt.pieces()) {
        if (!sp.IsUnknown(p.id()) && !sp.IsControl(p.id())) ++counts[p.piece()];
      }
    };
  } else if (output_format == "piece") {
    process = [&](const std::string& line) {
      CheckOk(program, sp.Encode(line, &pieces));
      out->Write(absl::StrJoin(pieces, " "));
      out->Write("\n");
    };
  } else if (output_format == "id") {
    process = [&](const std::string& line) {
      CheckOk(program, sp.Encode(line, &ids));
      out->Write(absl::StrJoin(ids, " "));
      out->Write("\n");
    };
  } else if (output_format == "proto") {
    process = [&](const std::string& line) {
      CheckOk(program, sp.Encode(line, &spt));
      out->Write(ToOneLineTextProto(spt));
      out->Write("\n");
    };
  } else if (output_format == "sample_piece") {
    process = [&](const std::string& line) {
      CheckOk(program, sp.SampleEncode(line, nbest_size, alpha, &pieces));
      write_line(absl::StrJoin(pieces, " "));
    };
  } else if (output_format == "sample_id") {
    process = [&](const std::string& line) {
      CheckOk(program, sp.SampleEncode(line, nbest_size, alpha, &ids));
      write_line(absl::StrJoin(ids, " "));
    };
  } else if (output_format == "sample_proto") {
    process = [&](const std::string& line) {
      CheckOk(program, sp.SampleEncode(line, nbest_size, alpha, &spt));
      write_line(ToOneLineTextProto(spt));
    };
  } else if (output_format == "nbest_piece") {
    process = [&](const std::string& line) {
      CheckOk(program, sp.NBestEncode(line, nbest_size, &nbest_pieces));
      for (const auto& r : nbest_pieces) write_line(absl::StrJoin(r, " "));
    };
  } else if (output_format == "nbest_id") {
    process = [&](const std::string& line) {
      CheckOk(program, sp.NBestEncode(line, nbest_size, &nbest_ids));
      for (const auto& r : nbest_ids) write_line(absl::StrJoin(r, " "));
    };
  } else if (output_format == "nbest_proto") {
    process = [&](const std::string& line) {
      CheckOk(program, sp.NBestEncode(line, nbest_size, &nbest_spt));
      write_line(ToOneLineTextProto(nbest_spt));
    };
  } else {
    Die(program, absl::StrCat("Unknown output format: ", output_format));
  }

  ForEachLine(program, InputFiles(input, positional), process);

  if (generate_vocabulary) {
    std::vector<std::pair<std::string, int64_t>> sorted(counts.begin(), counts.end());
    std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
      return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    for (const auto& [piece, count] : sorted) out->Write(absl::StrCat(piece, "\t", count, "\n"));
  }
  CloseOutputOrDie(program, out.get());
  return 0;
}

}  // namespace
}  // namespace sentencepiece

int main(int argc, char** argv) { return sentencepiece::Main(argc, argv); }
