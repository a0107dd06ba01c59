// See charsmap_utf8.h for the contract.

#include "trainer/charsmap_utf8.h"

#include <cstdint>

namespace sentencepiece {
namespace internal {
namespace {

bool IsContinuation(unsigned char byte) { return (byte & 0xC0) == 0x80; }

bool IsScalarValue(char32_t cp) {
  return cp < 0xD800 || (cp >= 0xE000 && cp <= 0x10FFFF);
}

void AppendOne(char32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
    return;
  }
  if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    return;
  }
  if (cp > 0x10FFFF) cp = kReplacementChar;
  if (cp < 0x10000) {  // Surrogates deliberately pass through here.
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    return;
  }
  out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
  out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
  out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
  out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
}

}  // namespace

std::string EncodeCodepoints(std::u32string_view cps) {
  std::string out;
  out.reserve(cps.size() * 3);
  for (char32_t cp : cps) AppendOne(cp, &out);
  return out;
}

char32_t DecodeOneCodepoint(std::string_view bytes, size_t* length) {
  const auto byte = [&bytes](size_t i) {
    return static_cast<unsigned char>(bytes[i]);
  };
  const unsigned char lead = byte(0);
  *length = 1;
  if (lead < 0x80) return lead;

  // Sequence length from the lead byte, and the smallest code point that may
  // use it (anything smaller is an overlong form).
  size_t need = 0;
  char32_t cp = 0;
  char32_t min_cp = 0;
  if ((lead & 0xE0) == 0xC0) {
    need = 2, cp = lead & 0x1F, min_cp = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    need = 3, cp = lead & 0x0F, min_cp = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    need = 4, cp = lead & 0x07, min_cp = 0x10000;
  } else {
    return kReplacementChar;
  }
  if (bytes.size() < need) return kReplacementChar;
  for (size_t i = 1; i < need; ++i) {
    if (!IsContinuation(byte(i))) return kReplacementChar;
    cp = (cp << 6) | (byte(i) & 0x3F);
  }
  if (cp < min_cp || !IsScalarValue(cp)) return kReplacementChar;
  *length = need;
  return cp;
}

std::u32string DecodeUtf8Lenient(std::string_view bytes) {
  std::u32string out;
  while (!bytes.empty()) {
    size_t length = 0;
    out.push_back(DecodeOneCodepoint(bytes, &length));
    bytes.remove_prefix(length);
  }
  return out;
}

bool IsStructurallyValidUtf8(std::string_view bytes) {
  while (!bytes.empty()) {
    size_t length = 0;
    const char32_t cp = DecodeOneCodepoint(bytes, &length);
    if (cp == kReplacementChar && length != 3) return false;
    bytes.remove_prefix(length);
  }
  return true;
}

}  // namespace internal
}  // namespace sentencepiece
