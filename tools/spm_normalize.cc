// spm_normalize: normalizes text line by line with a model's rules, a
// built-in rule set or a rule TSV; or prints the rules as TSV.
//
//   spm_normalize --model=m.model [files...]
//   spm_normalize --normalization_rule_name=nmt_nfkc [files...]
//   spm_normalize --normalization_rule_tsv=rules.tsv [files...]
//   spm_normalize --normalization_rule_name=nfkc --decompile [--output=f]
//
// The rules come from the first of --model, --normalization_rule_tsv and
// --normalization_rule_name that is set (as in the reference). Unless
// --use_internal_normalization, no dummy prefix is added and whitespace is
// not escaped (the output has plain spaces), and --remove_extra_whitespaces
// decides whitespace removal; with it, the spec is used as it is (a model's
// own settings, or the NormalizerSpec defaults for a name or TSV). The
// model's user-defined symbols are not protected (as in the reference).
//
// --decompile writes the rules in the rule-TSV format (charsmap_tsv.h)
// instead of normalizing. The identity rule set has no rules to write: the
// reference aborts with "Blob for normalization rule is broken.", we say
// that there are no rules.

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "facade_util.h"
#include "flags.h"
#include "fatal_error.h"
#include "heap_setup.h"
#include "normalizer/normalizer.h"
#include "sentencepiece_processor.h"
#include "tool_io.h"
#include "trainer/charsmap_compiler.h"
#include "trainer/charsmap_tsv.h"
#include "trainer/normalization_rules.h"

namespace sentencepiece {
namespace {

constexpr char kProgram[] = "spm_normalize";

// Dies with the status as the reference prints it ("Not found: ...").
void DieIfError(const absl::Status& status) {
  if (!status.ok()) Die(kProgram, facade::ToUtil(status).ToString());
}

// The spec chosen by the flags (model > TSV > name), before the command-line
// overrides. Dies if none is set or the rules cannot be loaded.
NormalizerSpec SelectSpec(const std::string& model, const std::string& rule_tsv,
                          const std::string& rule_name) {
  if (!model.empty()) {
    SentencePieceProcessor sp;
    CheckOk(kProgram, sp.Load(model));
    return sp.model_proto().normalizer_spec();
  }
  NormalizerSpec requested;
  if (!rule_tsv.empty()) {
    requested.set_normalization_rule_tsv(rule_tsv);
  } else if (!rule_name.empty()) {
    requested.set_name(rule_name);
  } else {
    Die(kProgram, "Sets --model, normalization_rule_tsv, or normalization_rule_name flag.");
  }
  absl::StatusOr<NormalizerSpec> spec =
      BuildNormalizerSpec(requested, /*is_denormalizer=*/false);
  DieIfError(spec.status());
  return *std::move(spec);
}

// Writes the rules of `spec` as TSV to `output` ("" = stdout).
void Decompile(const NormalizerSpec& spec, const std::string& output) {
  if (spec.precompiled_charsmap().empty()) {
    Die(kProgram, absl::StrCat("the normalization rule \"", spec.name(),
                               "\" has no rules (empty precompiled_charsmap): "
                               "nothing to decompile"));
  }
  absl::StatusOr<NormalizationRules> rules = DecompileCharsMap(spec.precompiled_charsmap());
  DieIfError(rules.status());
  std::unique_ptr<OutputFile> out = OpenOutputOrDie(kProgram, output);
  out->Write(FormatNormalizationRulesTsv(*rules));
  CloseOutputOrDie(kProgram, out.get());
}

int Main(int argc, char** argv) {
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

  NormalizerSpec spec = SelectSpec(model, normalization_rule_tsv, normalization_rule_name);
  if (!use_internal_normalization) {
    spec.set_add_dummy_prefix(false);
    spec.set_escape_whitespaces(false);
    spec.set_remove_extra_whitespaces(remove_extra_whitespaces);
  }
  if (decompile) {
    Decompile(spec, output);
    return 0;
  }

  absl::StatusOr<std::unique_ptr<Normalizer>> normalizer =
      Normalizer::Create(spec, /*treat_whitespace_as_suffix=*/false);
  DieIfError(normalizer.status());
  std::unique_ptr<OutputFile> out = OpenOutputOrDie(kProgram, output);
  ForEachLine(kProgram, InputFiles(input, positional), [&](const std::string& line) {
    out->Write((*normalizer)->Normalize(line));
    out->Write("\n");
  });
  CloseOutputOrDie(kProgram, out.get());
  return 0;
}

}  // namespace
}  // namespace sentencepiece

int main(int argc, char** argv) {
  sentencepiece::InstallFatalErrorHandler("spm_normalize");
  sentencepiece::SetUpToolHeap();
  return sentencepiece::Main(argc, argv);
}
