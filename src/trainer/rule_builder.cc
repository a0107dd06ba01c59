// See rule_builder.h. The ICU-dependent half of the rule builder: Unicode
// normalization and case folding of single code points and of the
// multi-code-point sequences that compose.

#include "trainer/rule_builder.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"

namespace sentencepiece {
namespace {

constexpr char32_t kMaxCodePoint = 0x10FFFF;

// The code points a rule set is derived from: every Unicode character (no
// surrogates, no noncharacters, not U+0000) that `version` had assigned or
// that nobody has assigned yet.
bool InTable(char32_t cp, const UnicodeVersion& version) {
  return IsUnicodeCharacter(cp) && !AssignedAfter(cp, version);
}

// ICU's NFKC, NFKD and NFC on code point strings.
class Normalizers {
 public:
  static absl::StatusOr<Normalizers> Get() {
    UErrorCode error = U_ZERO_ERROR;
    Normalizers n;
    n.nfkc_ = icu::Normalizer2::getNFKCInstance(error);
    n.nfkd_ = icu::Normalizer2::getNFKDInstance(error);
    n.nfc_ = icu::Normalizer2::getNFCInstance(error);
    if (U_FAILURE(error)) {
      return absl::InternalError(
          absl::StrCat("ICU normalizer data unavailable: ", u_errorName(error)));
    }
    return n;
  }

  // True iff `cp` has an NFKD decomposition mapping. If it has none, NFKD
  // and NFKC both leave it as it is (a lone code point never composes), so
  // the two normalizations can be skipped.
  bool Decomposes(char32_t cp) const {
    icu::UnicodeString ignored;
    return nfkd_->getDecomposition(static_cast<UChar32>(cp), ignored);
  }

  absl::StatusOr<std::u32string> Nfkc(std::u32string_view s) const { return Apply(*nfkc_, s); }
  absl::StatusOr<std::u32string> Nfkd(std::u32string_view s) const { return Apply(*nfkd_, s); }
  absl::StatusOr<std::u32string> Nfc(std::u32string_view s) const { return Apply(*nfc_, s); }

 private:
  static absl::StatusOr<std::u32string> Apply(const icu::Normalizer2& normalizer,
                                              std::u32string_view s) {
    const icu::UnicodeString in = icu::UnicodeString::fromUTF32(
        reinterpret_cast<const UChar32*>(s.data()), static_cast<int32_t>(s.size()));
    UErrorCode error = U_ZERO_ERROR;
    const icu::UnicodeString normalized = normalizer.normalize(in, error);
    if (U_FAILURE(error)) {
      return absl::InternalError(absl::StrCat("ICU normalization failed: ", u_errorName(error)));
    }
    std::u32string out;
    for (int32_t i = 0; i < normalized.length(); i = normalized.moveIndex32(i, 1)) {
      out.push_back(static_cast<char32_t>(normalized.char32At(i)));
    }
    return out;
  }

  const icu::Normalizer2* nfkc_ = nullptr;
  const icu::Normalizer2* nfkd_ = nullptr;
  const icu::Normalizer2* nfc_ = nullptr;
};

// Every sequence of the length of `decomposed` (an NFKD form) whose i-th
// code point NFKD maps to decomposed[i] alone. `spellings(cp)` lists the
// code points whose NFKD form is exactly `cp`.
template <typename SpellingsFn>
std::vector<std::u32string> AllSpellings(const std::u32string& decomposed,
                                         const SpellingsFn& spellings) {
  std::vector<std::u32string> done = {U""};
  for (const char32_t cp : decomposed) {
    const std::vector<char32_t> choices = spellings(cp);
    std::vector<std::u32string> next;
    next.reserve(done.size() * choices.size());
    for (const std::u32string& prefix : done) {
      for (const char32_t choice : choices) next.push_back(prefix + choice);
    }
    done = std::move(next);
  }
  return done;
}

absl::StatusOr<NormalizationRules> PrunedNfkc(const UnicodeVersion& version) {
  ASSIGN_OR_RETURN(NormalizationRules rules, internal::NfkcRulesUnpruned(version));
  return internal::RemoveRedundantRules(rules);
}

absl::StatusOr<NormalizationRules> PrunedNmtNfkc(const UnicodeVersion& version) {
  ASSIGN_OR_RETURN(NormalizationRules rules, PrunedNfkc(version));
  internal::ApplyNmtChanges(&rules);
  return internal::RemoveRedundantRules(rules);
}

}  // namespace

namespace internal {

absl::StatusOr<NormalizationRules> NfkcRulesUnpruned(const UnicodeVersion& version) {
  RETURN_IF_ERROR(CheckIcuSupports(version));
  ASSIGN_OR_RETURN(const Normalizers normalizers, Normalizers::Get());

  NormalizationRules rules;
  // Code points whose NFKD form is a single other code point, by that code
  // point. (A code point without a decomposition is a spelling of itself;
  // those, about a million, are recognized on demand instead of stored.)
  std::map<char32_t, std::vector<char32_t>> decomposing_spellings;
  // NFKD forms longer than one code point.
  std::set<std::u32string> long_decompositions;

  for (char32_t cp = 1; cp <= kMaxCodePoint; ++cp) {
    if (!InTable(cp, version) || !normalizers.Decomposes(cp)) continue;
    const std::u32string single(1, cp);
    ASSIGN_OR_RETURN(std::u32string nfkc, normalizers.Nfkc(single));
    if (nfkc != single) rules[single] = std::move(nfkc);
    ASSIGN_OR_RETURN(std::u32string nfkd, normalizers.Nfkd(single));
    if (nfkd.size() == 1) {
      decomposing_spellings[nfkd[0]].push_back(cp);
    } else {
      long_decompositions.insert(std::move(nfkd));
    }
  }

  // The code points whose NFKD form is `cp`, in code point order.
  const auto spellings = [&](char32_t cp) {
    std::vector<char32_t> all;
    if (InTable(cp, version) && !normalizers.Decomposes(cp)) all.push_back(cp);
    if (auto it = decomposing_spellings.find(cp); it != decomposing_spellings.end()) {
      all.insert(all.end(), it->second.begin(), it->second.end());
    }
    std::sort(all.begin(), all.end());
    return all;
  };

  for (const std::u32string& nfkd : long_decompositions) {
    ASSIGN_OR_RETURN(const std::u32string composed, normalizers.Nfc(nfkd));
    if (composed == nfkd) continue;  // Nothing composes: single rules suffice.
    for (const char32_t cp : nfkd) {
      // An NFKD form consists of code points that are their own NFKD form.
      if (!InTable(cp, version) || normalizers.Decomposes(cp)) {
        return absl::InternalError(
            absl::StrCat("NFKD produced U+", absl::Hex(static_cast<uint32_t>(cp), absl::kZeroPad4),
                         ", which is not its own decomposition"));
      }
    }
    for (std::u32string& spelling : AllSpellings(nfkd, spellings)) {
      if (spelling != composed) rules[std::move(spelling)] = composed;
    }
  }
  return rules;
}

void ApplyNmtChanges(NormalizationRules* rules) {
  // Whitespace, line breaks, invisible separators and marks, the meta-space
  // symbol itself and the replacement character all become one space.
  static constexpr char32_t kToSpace[] = {
      0x0009, 0x000A, 0x000C, 0x000D, 0x1680, 0x200B, 0x200E,
      0x200F, 0x2028, 0x2029, 0x2581, 0xFEFF, 0xFFFD, 0x200C,
  };
  for (const char32_t cp : kToSpace) (*rules)[std::u32string(1, cp)] = U" ";
  // Control characters that carry no text are deleted. U+0000 cannot be a
  // source (it ends a key in the trie); the C1 controls other than SS3 and
  // APC are left alone, as in the reference.
  for (char32_t cp = 0x0001; cp <= 0x001F; ++cp) {
    if (cp == 0x0009 || cp == 0x000A || cp == 0x000C || cp == 0x000D) continue;
    (*rules)[std::u32string(1, cp)] = U"";
  }
  for (const char32_t cp : {char32_t{0x007F}, char32_t{0x008F}, char32_t{0x009F}}) {
    (*rules)[std::u32string(1, cp)] = U"";
  }
  // Japanese text uses FULLWIDTH TILDE differently from "~": keep it.
  rules->erase(U"\uFF5E");
}

void ApplyCaseFolding(const UnicodeVersion& version, NormalizationRules* rules) {
  const auto fold = [](char32_t cp) {
    return static_cast<char32_t>(u_foldCase(static_cast<UChar32>(cp), U_FOLD_CASE_DEFAULT));
  };
  for (auto& [source, target] : *rules) {
    for (char32_t& cp : target) cp = fold(cp);
  }
  for (char32_t cp = 1; cp <= kMaxCodePoint; ++cp) {
    if (!InTable(cp, version)) continue;
    const char32_t folded = fold(cp);
    if (folded == cp) continue;
    rules->emplace(std::u32string(1, cp), std::u32string(1, folded));  // Keeps existing rules.
  }
}

}  // namespace internal

absl::StatusOr<NormalizationRules> BuildRuleSet(RuleSet set, const UnicodeVersion& version) {
  switch (set) {
    case RuleSet::kNfkc:
      return PrunedNfkc(version);
    case RuleSet::kNmtNfkc:
      return PrunedNmtNfkc(version);
    case RuleSet::kNfkcCf: {
      ASSIGN_OR_RETURN(NormalizationRules rules, PrunedNfkc(version));
      internal::ApplyCaseFolding(version, &rules);
      return internal::RemoveRedundantRules(rules);
    }
    case RuleSet::kNmtNfkcCf: {
      ASSIGN_OR_RETURN(NormalizationRules rules, PrunedNmtNfkc(version));
      internal::ApplyCaseFolding(version, &rules);
      return internal::RemoveRedundantRules(rules);
    }
  }
  return absl::InternalError("unknown rule set");
}

}  // namespace sentencepiece
