// Bridges std::string_view and absl::string_view.
//
// In Debian 12's abseil (20220623) absl::string_view is its own class, not
// an alias of std::string_view, and absl::StrCat & co. do not accept a
// std::string_view. Our code uses std::string_view throughout and converts
// at the call into abseil.

#ifndef SPM_SRC_COMMON_ABSL_COMPAT_H_
#define SPM_SRC_COMMON_ABSL_COMPAT_H_

#include <string_view>

#include "absl/strings/string_view.h"

namespace sentencepiece {

inline absl::string_view ToAbsl(std::string_view s) { return absl::string_view(s.data(), s.size()); }
inline std::string_view FromAbsl(absl::string_view s) { return std::string_view(s.data(), s.size()); }

}  // namespace sentencepiece

#endif  // SPM_SRC_COMMON_ABSL_COMPAT_H_
