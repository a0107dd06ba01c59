// See builtin_rules.h.

#include "trainer/builtin_rules.h"

#include <functional>
#include <map>
#include <mutex>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "trainer/rule_builder.h"

namespace sentencepiece {
namespace {

constexpr char kIdentity[] = "identity";

struct NamedRuleSet {
  const char* name;
  RuleSet set;
  UnicodeVersion version;
};

constexpr UnicodeVersion kReferenceUnicode{13, 0};
constexpr UnicodeVersion kUnicode15{15, 0};

// identity is handled apart: it has no rules.
constexpr NamedRuleSet kNamedRuleSets[] = {
    {"nmt_nfkc", RuleSet::kNmtNfkc, kReferenceUnicode},
    {"nfkc", RuleSet::kNfkc, kReferenceUnicode},
    {"nmt_nfkc_cf", RuleSet::kNmtNfkcCf, kReferenceUnicode},
    {"nfkc_cf", RuleSet::kNfkcCf, kReferenceUnicode},
    {"nmt_nfkc_unicode15", RuleSet::kNmtNfkc, kUnicode15},
    {"nfkc_unicode15", RuleSet::kNfkc, kUnicode15},
    {"nmt_nfkc_cf_unicode15", RuleSet::kNmtNfkcCf, kUnicode15},
    {"nfkc_cf_unicode15", RuleSet::kNfkcCf, kUnicode15},
};

const NamedRuleSet* FindRuleSet(absl::string_view name) {
  for (const NamedRuleSet& named : kNamedRuleSets) {
    if (name == named.name) return &named;
  }
  return nullptr;
}

#ifndef SPM_CHARSMAPS_GENERATOR
// The reference names' blobs, derived at build time by
// gen_builtin_charsmaps (from this same file).
struct EmbeddedCharsMap {
  const char* name;
  std::string_view blob;
};
const EmbeddedCharsMap kEmbeddedCharsMaps[] = {
#include "trainer/builtin_charsmaps.inc"
};
#endif

absl::Status UnknownName(absl::string_view name) {
  return absl::NotFoundError(absl::StrCat("No precompiled charsmap is found: ", name));
}

}  // namespace

std::vector<std::string> BuiltinRuleNames() {
  std::vector<std::string> names;
  for (const NamedRuleSet& named : kNamedRuleSets) {
    if (named.version == kReferenceUnicode) names.push_back(named.name);
  }
  names.push_back(kIdentity);
  for (const NamedRuleSet& named : kNamedRuleSets) {
    if (!(named.version == kReferenceUnicode)) names.push_back(named.name);
  }
  return names;
}

absl::StatusOr<NormalizationRules> BuiltinRules(absl::string_view name) {
  if (name == kIdentity) return NormalizationRules();
  const NamedRuleSet* named = FindRuleSet(name);
  if (named == nullptr) return UnknownName(name);
  return BuildRuleSet(named->set, named->version);
}

absl::StatusOr<std::string> BuiltinCharsMap(absl::string_view name) {
#ifndef SPM_CHARSMAPS_GENERATOR
  for (const EmbeddedCharsMap& e : kEmbeddedCharsMaps) {
    if (name == e.name) return std::string(e.blob);
  }
#endif
  return DeriveBuiltinCharsMap(name);
}

absl::StatusOr<std::string> DeriveBuiltinCharsMap(absl::string_view name) {
  if (name == kIdentity) return std::string();
  if (FindRuleSet(name) == nullptr) return UnknownName(name);

  // One entry per name; a failed build is not cached (it is retried).
  // Builds run under the lock: concurrent callers wait for the first.
  static std::mutex* mutex = new std::mutex;
  static auto* cache = new std::map<std::string, std::string, std::less<>>;
  std::lock_guard<std::mutex> lock(*mutex);
  if (auto it = cache->find(name); it != cache->end()) return it->second;
  ASSIGN_OR_RETURN(const NormalizationRules rules, BuiltinRules(name));
  ASSIGN_OR_RETURN(std::string blob, CompileCharsMap(rules));
  cache->emplace(std::string(name), blob);
  return blob;
}

}  // namespace sentencepiece
