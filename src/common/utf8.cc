#include "common/utf8.h"

namespace sentencepiece {
namespace utf8 {

char32_t Decode(std::string_view s, size_t* len) {
  const auto b = [&s](size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char lead = b(0);
  if (lead < 0x80) {
    *len = 1;
    return lead;
  }
  if ((lead & 0xE0) == 0xC0 && s.size() >= 2) {
    const char32_t c = ((lead & 0x1F) << 6) | (b(1) & 0x3F);
    if (IsTrailByte(s[1]) && c >= 0x80) {
      *len = 2;
      return c;
    }
  } else if ((lead & 0xF0) == 0xE0 && s.size() >= 3) {
    const char32_t c = ((lead & 0x0F) << 12) | ((b(1) & 0x3F) << 6) | (b(2) & 0x3F);
    if (IsTrailByte(s[1]) && IsTrailByte(s[2]) && c >= 0x800 && IsValidCodepoint(c)) {
      *len = 3;
      return c;
    }
  } else if ((lead & 0xF8) == 0xF0 && s.size() >= 4) {
    const char32_t c = ((lead & 0x07) << 18) | ((b(1) & 0x3F) << 12) |
                       ((b(2) & 0x3F) << 6) | (b(3) & 0x3F);
    if (IsTrailByte(s[1]) && IsTrailByte(s[2]) && IsTrailByte(s[3]) && c >= 0x10000 &&
        IsValidCodepoint(c)) {
      *len = 4;
      return c;
    }
  }
  *len = 1;
  return kReplacementChar;
}

void Append(char32_t c, std::string* out) {
  if (!IsValidCodepoint(c)) c = kReplacementChar;
  if (c < 0x80) {
    out->push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (c >> 6)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (c >> 12)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (c >> 18)));
    out->push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

bool IsStructurallyValid(std::string_view s) {
  while (!s.empty()) {
    size_t len = 0;
    if (!DecodeValid(s, &len)) return false;
    s.remove_prefix(len);
  }
  return true;
}

}  // namespace utf8
}  // namespace sentencepiece
