// Which Unicode version a code point belongs to, from ICU's character age
// (the Unicode version that first assigned it).
//
// The normalization rule tables of SentencePiece 0.1.97 were derived from
// Unicode 13 data, while the ICU we link (72) implements Unicode 15. The
// rule builder replays the reference's derivation on ICU but treats every
// code point assigned after the target version as if it were unassigned,
// which is how the older ICU saw it. Unicode's stability policies
// (normalization stability, composition exclusions for new composites) make
// the normalization of the remaining code points identical to the older
// version's; the tests check the resulting tables against the reference.
//
// Example:
//   UnicodeVersion v13{13, 0};
//   AssignedAfter(0x1FBF0, v13);  // false: Unicode 13.0 added it.
//   AssignedAfter(0xA7F2, v13);   // true: Unicode 14.0 added it.

#ifndef SPM_SRC_TRAINER_UNICODE_AGE_H_
#define SPM_SRC_TRAINER_UNICODE_AGE_H_

#include <string>

#include "absl/status/status.h"

namespace sentencepiece {

// A Unicode version, major.minor (the update digit never matters here:
// update versions assign no characters).
struct UnicodeVersion {
  int major = 0;
  int minor = 0;
};

inline bool operator<(const UnicodeVersion& a, const UnicodeVersion& b) {
  return a.major != b.major ? a.major < b.major : a.minor < b.minor;
}
inline bool operator==(const UnicodeVersion& a, const UnicodeVersion& b) {
  return a.major == b.major && a.minor == b.minor;
}

// "13.0".
std::string UnicodeVersionString(const UnicodeVersion& version);

// The Unicode version implemented by the linked ICU.
UnicodeVersion IcuUnicodeVersion();

// OK if the linked ICU knows Unicode `version` or a later one; else
// FailedPrecondition naming both versions (a table for a version newer
// than ICU's cannot be built).
absl::Status CheckIcuSupports(const UnicodeVersion& version);

// True iff `cp` is assigned in the linked ICU's Unicode version but not in
// `version`. Unassigned code points, surrogates and noncharacters are never
// "assigned after" anything.
bool AssignedAfter(char32_t cp, const UnicodeVersion& version);

// True iff `cp` is a Unicode scalar value that is not a noncharacter: not a
// surrogate, not U+FDD0..U+FDEF, not U+xxFFFE/U+xxFFFF, at most U+10FFFF.
// The reference enumerates exactly these code points when it builds rules.
bool IsUnicodeCharacter(char32_t cp);

}  // namespace sentencepiece

#endif  // SPM_SRC_TRAINER_UNICODE_AGE_H_
