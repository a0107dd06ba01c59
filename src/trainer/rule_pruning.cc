// Pruning of rule sets (RemoveRedundantRules in rule_builder.h): the part
// of the rule builder that needs no Unicode data.
//
// A rule is redundant when the shorter rules, applied by longest match,
// already turn its source into its target. Rules are examined from the
// shortest sources up, each against the rules kept so far that are shorter
// than it, so a rule is only ever explained by rules that survive.

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "trainer/rule_builder.h"

namespace sentencepiece {
namespace internal {

std::u32string RewriteWithRules(const NormalizationRules& rules, std::u32string_view text,
                                size_t max_source_length) {
  std::u32string out;
  out.reserve(text.size());
  std::u32string key;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t length = std::min(max_source_length, text.size() - pos);
    NormalizationRules::const_iterator match = rules.end();
    for (; length > 0; --length) {
      key.assign(text.substr(pos, length));
      match = rules.find(key);
      if (match != rules.end()) break;
    }
    if (match == rules.end()) {
      out.push_back(text[pos]);
      ++pos;
    } else {
      out += match->second;
      pos += length;
    }
  }
  return out;
}

absl::StatusOr<NormalizationRules> RemoveRedundantRules(const NormalizationRules& rules) {
  if (rules.empty()) return absl::InvalidArgumentError("no rules to prune");

  // Rules by source length; within a length, in source order.
  std::vector<std::vector<NormalizationRules::const_iterator>> by_length;
  for (auto it = rules.begin(); it != rules.end(); ++it) {
    const size_t length = it->first.size();
    if (length == 0) return absl::InvalidArgumentError("a rule has an empty source");
    if (by_length.size() <= length) by_length.resize(length + 1);
    by_length[length].push_back(it);
  }
  const size_t max_length = by_length.size() - 1;

  NormalizationRules kept;
  if (max_length >= 1) {
    for (const auto& it : by_length[1]) kept.insert(kept.end(), *it);
  }
  for (size_t length = 2; length <= max_length; ++length) {
    for (const auto& it : by_length[length]) {
      if (RewriteWithRules(kept, it->first, length - 1) != it->second) kept.insert(*it);
    }
  }

  // Every dropped rule must still hold with the kept ones.
  for (const auto& [source, target] : rules) {
    if (RewriteWithRules(kept, source, max_length) != target) {
      return absl::InternalError(absl::StrCat("pruned rules do not reproduce the rule for a ",
                                              source.size(), "-code-point source"));
    }
  }
  return kept;
}

}  // namespace internal
}  // namespace sentencepiece
