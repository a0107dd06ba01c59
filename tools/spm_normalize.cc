// spm_normalize: normalizes text line by line with a model's rules.
//
//   spm_normalize --model=m.model [--use_internal_normalization] [files...]
//
// Unless --use_internal_normalization, no dummy prefix is added and
// whitespace is not escaped (the output has plain spaces), and
// --remove_extra_whitespaces decides whitespace removal; the model's
// user-defined symbols are not protected (as in the reference).

#include <string>
#include <vector>

#include "common/status_macros.h"
#include "flags.h"
#include "normalizer/normalizer.h"
#include "sentencepiece_processor.h"
#include "tool_io.h"

namespace sentencepiece {
namespace {

int Main(int argc, char** argv) {
  const std::string program = "spm_normalize";
  std::string model, normalization_rule_name, normalization_rule_tsv, input, output;
  bool use_internal_normalization = false, remove_extra_whitespaces = true, decompile = false;
  FlagParser flags(argv[0]);
  flags.Add("model", &model, "Model file name");
  flags.Add("use_internal_normalization", &use_internal_normalization,
            "Use NormalizerSpec \"as-is\" to run the normalizer for SentencePiece segmentation");
  flags.Add("normalization_rule_name", &normalization_rule_name, "Normalization rule name. "
            "Choose from nfkc or identity");
  flags.Add("normalization_rule_tsv", &normalization_rule_tsv, "Normalization rule TSV file. ");
  flags.Add("remove_extra_whitespaces", &remove_extra_whitespaces, "Remove extra whitespaces");
  flags.Add("decompile", &decompile, "Decompile compiled charamap and output it as TSV.");
  flags.Add("input", &input, "Input filename");
  flags.Add("output", &output, "Output filename");
  const std::vector<std::string> positional = flags.ParseOrExit(argc, argv);

  NormalizerSpec spec;
  if (!model.empty()) {
    SentencePieceProcessor sp;
    CheckOk(program, sp.Load(model));
    spec = sp.model_proto().normalizer_spec();
  } else if (!normalization_rule_tsv.empty() || !normalization_rule_name.empty()) {
    Die(program,
        "--normalization_rule_tsv and --normalization_rule_name need the rule builder, "
        "which is not available yet; use --model");
  } else {
    Die(program, "Sets --model, normalization_rule_tsv, or normalization_rule_name flag.");
  }
  if (decompile) Die(program, "--decompile is not available yet");

  if (!use_internal_normalization) {
    spec.set_add_dummy_prefix(false);
    spec.set_escape_whitespaces(false);
    spec.set_remove_extra_whitespaces(remove_extra_whitespaces);
  }
  auto normalizer = Normalizer::Create(spec, /*treat_whitespace_as_suffix=*/false);
  if (!normalizer.ok()) Die(program, std::string(normalizer.status().message()));

  std::unique_ptr<OutputFile> out = OpenOutputOrDie(program, output);
  ForEachLine(program, InputFiles(input, positional), [&](const std::string& line) {
    out->Write((*normalizer)->Normalize(line));
    out->Write("\n");
  });
  CloseOutputOrDie(program, out.get());
  return 0;
}

}  // namespace
}  // namespace sentencepiece

int main(int argc, char** argv) { return sentencepiece::Main(argc, argv); }
