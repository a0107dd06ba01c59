// spm_export_vocab: writes a model's vocabulary.
//
//   spm_export_vocab --model=m.model [--output_format=vocab|syms]
//
// vocab: "piece<TAB>score" per line (scores printed as C++ streams print
// floats: 6 significant digits); syms: "piece<TAB>id".

#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "flags.h"
#include "fatal_error.h"
#include "heap_setup.h"
#include "sentencepiece_processor.h"
#include "tool_io.h"

namespace sentencepiece {
namespace {

int Main(int argc, char** argv) {
  const std::string program = "spm_export_vocab";
  std::string model, output, output_format = "vocab";
  FlagParser flags(argv[0]);
  flags.Add("model", &model, "Model filename");
  flags.Add("output", &output, "Output filename");
  flags.Add("output_format", &output_format, "choose from vocab or syms");
  flags.ParseOrExit(argc, argv);

  if (output_format != "vocab" && output_format != "syms") {
    Die(program, absl::StrCat("Unsupported output format: ", output_format));
  }
  SentencePieceProcessor sp;
  CheckOk(program, sp.Load(model));
  std::unique_ptr<OutputFile> out = OpenOutputOrDie(program, output);
  const ModelProto& proto = sp.model_proto();
  for (int i = 0; i < proto.pieces_size(); ++i) {
    std::ostringstream os;
    os << proto.pieces(i).piece() << "\t";
    if (output_format == "vocab") {
      os << proto.pieces(i).score();
    } else {
      os << i;
    }
    os << "\n";
    out->Write(os.str());
  }
  CloseOutputOrDie(program, out.get());
  return 0;
}

}  // namespace
}  // namespace sentencepiece

int main(int argc, char** argv) {
  sentencepiece::InstallFatalErrorHandler("spm_export_vocab");
  sentencepiece::SetUpToolHeap();
  return sentencepiece::Main(argc, argv);
}
