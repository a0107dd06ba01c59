// spm_encode: encodes text line by line with a SentencePiece model.
//
//   spm_encode --model=m.model [--output_format=piece|id|proto] [files...]
//
// Same flags and output as the reference. Difference: --output_format=proto
// prints each result as a one-line protobuf text SentencePieceText (with
// byte offsets), where the reference prints nothing.

#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/cpu_count.h"
#include "common/id_text.h"
#include "flags.h"
#include "fatal_error.h"
#include "heap_setup.h"
#include "sentencepiece_processor.h"
#include "block_pipeline.h"
#include "tool_io.h"
#include "encoder/processor.h"

namespace sentencepiece {
namespace {

int Main(int argc, char** argv) {
  const std::string program = "spm_encode";
  std::string model, output_format = "piece", input, output, extra_options, vocabulary;
  int32_t nbest_size = 10, vocabulary_threshold = 0;
  double alpha = 0.5;
  uint32_t random_seed = static_cast<uint32_t>(-1);
  bool generate_vocabulary = false;
  // 0: as many as UsableCpus(), counted only then (it reads the cgroup's
  // files, ~0.2-0.4 ms of a ~3 ms one-line run; --num_threads=1 skips it).
  int32_t num_threads = 0;

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
  flags.Add("num_threads", &num_threads,
            "Number of encoding threads (0, the default: the cores this process may run on, as "
            "nproc counts them). Output order is kept; sampling with "
            "--random_seed runs on one thread so it matches the reference line by line.");
  const std::vector<std::string> positional = flags.ParseOrExit(argc, argv);
  if (num_threads < 0) {
    Die(program, absl::StrCat("--num_threads must be 0 (all cores) or more (got ", num_threads, ")"));
  }
  if (num_threads == 0) num_threads = UsableCpus();

  SetRandomGeneratorSeed(random_seed);
  if (model.empty()) Die(program, "--model is required");
  SentencePieceProcessor sp;
  CheckOk(program, sp.Load(model));
  CheckOk(program, sp.SetEncodeExtraOptions(extra_options));
  if (!vocabulary.empty()) CheckOk(program, sp.LoadVocabulary(vocabulary, vocabulary_threshold));

  std::unique_ptr<OutputFile> out = OpenOutputOrDie(program, output);
  using LineFn = std::function<void(std::string_view line, std::string* out)>;
  LineFn process;
  // Or, for the plain formats, a block's lines at once.
  std::function<void(const std::vector<std::string_view>& lines, std::string* out)> process_lines;
  absl::flat_hash_map<std::string, int64_t> counts;
  auto join_pieces = [](const std::vector<std::string>& v, std::string* o) {
    for (size_t i = 0; i < v.size(); ++i) {
      if (i > 0) o->push_back(' ');
      o->append(v[i]);
    }
    o->push_back('\n');
  };
  auto join_ids = [](const std::vector<int>& v, std::string* o) { IdText::Shared().Append(v, o); };
  bool parallel = true;

  if (generate_vocabulary) {
    parallel = false;
    process = [&](std::string_view line, std::string*) {
      SentencePieceText spt;
      CheckOk(program, sp.Encode(line, &spt));
      for (const auto& p : spt.pieces()) {
        if (!sp.IsUnknown(p.id()) && !sp.IsControl(p.id())) ++counts[p.piece()];
      }
    };
  } else if (output_format == "id") {
    // The hot path: ids straight from the engine, formatted from a table,
    // a block's lines in one call.
    const Processor* engine = sp.processor();
    process_lines = [engine, &program](const std::vector<std::string_view>& lines,
                                       std::string* o) {
      CheckOk(program, engine->EncodeIdTextLines(lines.data(), lines.size(), o));
    };
  } else if (output_format == "piece") {
    const Processor* engine = sp.processor();
    process_lines = [engine, &program](const std::vector<std::string_view>& lines,
                                       std::string* o) {
      CheckOk(program, engine->EncodePieceTextLines(lines.data(), lines.size(), o));
    };
  } else if (output_format == "proto") {
    process = [&](std::string_view line, std::string* o) {
      SentencePieceText spt;
      CheckOk(program, sp.Encode(line, &spt));
      *o += ToOneLineTextProto(spt) + "\n";
    };
  } else if (output_format == "sample_piece" || output_format == "sample_id" ||
             output_format == "sample_proto") {
    // A seeded run reproduces the reference's draws only in input order.
    if (random_seed != static_cast<uint32_t>(-1)) parallel = false;
    process = [&](std::string_view line, std::string* o) {
      SentencePieceText spt;
      CheckOk(program, sp.SampleEncode(line, nbest_size, alpha, &spt));
      if (output_format == "sample_proto") {
        *o += ToOneLineTextProto(spt) + "\n";
        return;
      }
      std::vector<std::string> pieces;
      std::vector<int> ids;
      for (const auto& p : spt.pieces()) {
        pieces.push_back(p.piece());
        ids.push_back(static_cast<int>(p.id()));
      }
      output_format == "sample_piece" ? join_pieces(pieces, o) : join_ids(ids, o);
    };
  } else if (output_format == "nbest_piece" || output_format == "nbest_id" ||
             output_format == "nbest_proto") {
    process = [&](std::string_view line, std::string* o) {
      NBestSentencePieceText nbest;
      CheckOk(program, sp.NBestEncode(line, nbest_size, &nbest));
      if (output_format == "nbest_proto") {
        *o += ToOneLineTextProto(nbest) + "\n";
        return;
      }
      for (const auto& spt : nbest.nbests()) {
        std::vector<std::string> pieces;
        std::vector<int> ids;
        for (const auto& p : spt.pieces()) {
          pieces.push_back(p.piece());
          ids.push_back(static_cast<int>(p.id()));
        }
        output_format == "nbest_piece" ? join_pieces(pieces, o) : join_ids(ids, o);
      }
    };
  } else {
    Die(program, absl::StrCat("Unknown output format: ", output_format));
  }

  // The input's size, told to the model before the first line; block by
  // block when the files' sizes are not known (a pipe). When that
  // makes the model build its tables up front (a large input), a second
  // thread builds them while the first encodes without them (round
  // fifty-four: ALBERT's trie, ~5 ms, held up both threads).
  const Model& engine_model = sp.processor()->model();
  const std::vector<std::string> files = InputFiles(input, positional);
  const std::optional<uint64_t> input_bytes = InputBytes(files);
  std::function<void()> build_tables;
  if (input_bytes.has_value()) {
    const size_t bytes = static_cast<size_t>(std::min<uint64_t>(*input_bytes, SIZE_MAX));
    sp.processor()->ExpectInput(bytes);  // (The caches, before any encoding.)
    if (engine_model.ExpectInputBuilds(bytes)) {
      build_tables = [&engine_model, bytes] { engine_model.ExpectInput(bytes); };
    } else {
      engine_model.ExpectInput(bytes);
    }
  }
  const bool expect_blocks = !input_bytes.has_value();
  ProcessBlocks(program, files, parallel ? num_threads : 1,
                [&process, &process_lines, &engine_model, expect_blocks](std::string_view block,
                                                                         std::string* o) {
                  if (expect_blocks) engine_model.ExpectInput(block.size());
                  if (!process_lines) {
                    ForEachLineIn(block, [&](std::string_view line) { process(line, o); });
                    return;
                  }
                  thread_local std::vector<std::string_view> lines;
                  lines.clear();
                  ForEachLineIn(block, [&](std::string_view line) { lines.push_back(line); });
                  process_lines(lines, o);
                },
                out.get(), build_tables);

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

int main(int argc, char** argv) {
  sentencepiece::InstallFatalErrorHandler("spm_encode");
  sentencepiece::SetUpToolHeap();
  return sentencepiece::Main(argc, argv);
}
