// BuildNormalizerSpec (normalization_rules.h): completes a NormalizerSpec
// with the compiled rules it names, as SentencePiece 0.1.97's
// PopulateNormalizerSpec does.

#include "trainer/normalization_rules.h"

#include <string>
#include <utility>

#include "common/status_macros.h"
#include "trainer/builtin_rules.h"
#include "trainer/charsmap_compiler.h"
#include "trainer/charsmap_tsv.h"

namespace sentencepiece {
namespace {

constexpr char kDefaultRuleName[] = "nmt_nfkc";
constexpr char kUserDefinedName[] = "user_defined";

}  // namespace

absl::StatusOr<NormalizerSpec> BuildNormalizerSpec(const NormalizerSpec& requested,
                                                   bool is_denormalizer) {
  NormalizerSpec spec = requested;
  if (!spec.normalization_rule_tsv().empty()) {
    if (!spec.precompiled_charsmap().empty()) {
      return absl::InvalidArgumentError("precompiled_charsmap is already defined.");
    }
    ASSIGN_OR_RETURN(const NormalizationRules rules,
                     LoadNormalizationRulesTsv(spec.normalization_rule_tsv()));
    ASSIGN_OR_RETURN(std::string blob, CompileCharsMap(rules));
    spec.set_precompiled_charsmap(std::move(blob));
    spec.set_name(kUserDefinedName);
    return spec;
  }
  if (is_denormalizer) return spec;
  if (spec.name().empty()) spec.set_name(kDefaultRuleName);
  if (spec.precompiled_charsmap().empty()) {
    ASSIGN_OR_RETURN(std::string blob, BuiltinCharsMap(spec.name()));
    spec.set_precompiled_charsmap(std::move(blob));
  }
  return spec;
}

}  // namespace sentencepiece
