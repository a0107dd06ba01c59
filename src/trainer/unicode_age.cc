// See unicode_age.h.

#include "trainer/unicode_age.h"

#include <unicode/uchar.h>
#include <unicode/uversion.h>

#include "absl/strings/str_cat.h"

namespace sentencepiece {

std::string UnicodeVersionString(const UnicodeVersion& version) {
  return absl::StrCat(version.major, ".", version.minor);
}

UnicodeVersion IcuUnicodeVersion() {
  UVersionInfo info;
  u_getUnicodeVersion(info);
  return UnicodeVersion{info[0], info[1]};
}

absl::Status CheckIcuSupports(const UnicodeVersion& version) {
  const UnicodeVersion icu = IcuUnicodeVersion();
  if (icu < version) {
    return absl::FailedPreconditionError(
        absl::StrCat("Unicode ", UnicodeVersionString(version),
                     " tables need ICU data of that version; the linked ICU implements Unicode ",
                     UnicodeVersionString(icu)));
  }
  return absl::OkStatus();
}

bool AssignedAfter(char32_t cp, const UnicodeVersion& version) {
  if (cp > 0x10FFFF) return false;
  UVersionInfo age;
  u_charAge(static_cast<UChar32>(cp), age);
  // Age 0.0 means unassigned.
  const UnicodeVersion assigned{age[0], age[1]};
  return version < assigned;
}

bool IsUnicodeCharacter(char32_t cp) {
  if (cp > 0x10FFFF) return false;
  if (cp >= 0xD800 && cp <= 0xDFFF) return false;
  if (cp >= 0xFDD0 && cp <= 0xFDEF) return false;
  return (cp & 0xFFFE) != 0xFFFE;
}

}  // namespace sentencepiece
