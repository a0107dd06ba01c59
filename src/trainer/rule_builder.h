// Derives SentencePiece's built-in normalization rule sets from ICU's
// Unicode data, the way SentencePiece 0.1.97 derived the tables it ships
// (nfkc, nmt_nfkc, nfkc_cf, nmt_nfkc_cf). Trainer-side only: the runtime
// never needs ICU, it executes the compiled rules stored in the model.
//
// The rule sets are longest-match string rewrites, so they approximate
// Unicode normalization rather than implement it (canonical reordering of
// several combining marks, for one, cannot be expressed):
//
//   nfkc        every code point whose NFKC form differs maps to that form;
//               and for every code point whose NFKD form has several code
//               points and composes (NFC of it differs from it), each
//               spelling of that NFKD form with code points that decompose
//               to one of its code points maps to its NFC form. Rules that
//               the shorter rules already imply are then dropped.
//   nmt_nfkc    nfkc, plus: TAB, LF, FF, CR, OGHAM SPACE MARK, ZERO WIDTH
//               SPACE / NON-JOINER / NO-BREAK SPACE, LRM, RLM, LINE and
//               PARAGRAPH SEPARATOR, LOWER ONE EIGHTH BLOCK (U+2581, the
//               meta-space) and REPLACEMENT CHARACTER map to a space; the
//               C0 controls other than TAB/LF/FF/CR (and U+0000), DEL, SS3
//               (U+008F) and APC (U+009F) are deleted; FULLWIDTH TILDE keeps
//               itself (Japanese text uses it apart from "~"). Pruned again.
//   *_cf        the set above with Unicode simple default case folding
//               applied to every target, plus a folding rule for every code
//               point that has no single-code-point rule yet. Pruned again.
//
// `version` selects the Unicode data: code points that ICU knows but that
// Unicode `version` had not assigned are treated as unassigned (no rule of
// their own, and not counted as a spelling of anything). With {13, 0} the
// output equals the reference's tables rule for rule.
//
// Example:
//   absl::StatusOr<NormalizationRules> rules =
//       BuildRuleSet(RuleSet::kNmtNfkc, UnicodeVersion{13, 0});
//   // (*rules)[U"\uFF21"] == U"A"; rules->size() == 224725.

#ifndef SPM_SRC_TRAINER_RULE_BUILDER_H_
#define SPM_SRC_TRAINER_RULE_BUILDER_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "trainer/charsmap_compiler.h"
#include "trainer/unicode_age.h"

namespace sentencepiece {

enum class RuleSet { kNfkc, kNmtNfkc, kNfkcCf, kNmtNfkcCf };

// Builds one rule set (see above) from Unicode `version`'s characters.
// Errors: FailedPrecondition if the linked ICU is older than `version`;
// Internal if ICU fails or the pruned rules no longer reproduce the
// unpruned ones (a bug).
absl::StatusOr<NormalizationRules> BuildRuleSet(RuleSet set,
                                                const UnicodeVersion& version);

// The steps of BuildRuleSet, for tests.
namespace internal {

// The nfkc rules before pruning.
absl::StatusOr<NormalizationRules> NfkcRulesUnpruned(const UnicodeVersion& version);

// Adds the nmt whitespace, deletion and tilde changes to `rules` (not pruned).
void ApplyNmtChanges(NormalizationRules* rules);

// Case-folds every target and adds the single-code-point folding rules (not
// pruned).
void ApplyCaseFolding(const UnicodeVersion& version, NormalizationRules* rules);

// Drops every rule whose source, rewritten by the kept shorter rules
// (longest match first, sources shorter than it only), already yields its
// target; single-code-point rules are always kept. The order of the checks
// matters and follows the reference: by source length, then source order.
// Errors: InvalidArgument if `rules` is empty; Internal if a dropped rule
// is not reproduced by the kept ones at full length (cannot happen for
// well-formed input; checked as the reference checks it).
absl::StatusOr<NormalizationRules> RemoveRedundantRules(const NormalizationRules& rules);

// Rewrites `text` with `rules` by longest match among sources of at most
// `max_source_length` code points; code points no source matches are
// copied.
std::u32string RewriteWithRules(const NormalizationRules& rules, std::u32string_view text,
                                size_t max_source_length);

}  // namespace internal
}  // namespace sentencepiece

#endif  // SPM_SRC_TRAINER_RULE_BUILDER_H_
