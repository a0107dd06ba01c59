#include "encoder/word_splitter.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "common/utf8.h"

namespace sentencepiece {
namespace {

constexpr uint64_t kLow7 = 0x7F7F7F7F7F7F7F7Full;

// One bit (the top one) per byte of `w` that equals 0xE2, exactly (no
// borrow between bytes, unlike the shorter has-zero-byte trick).
uint64_t LeadBytes(uint64_t w) {
  const uint64_t x = w ^ 0xE2E2E2E2E2E2E2E2ull;
  return ~(((x & kLow7) + kLow7) | x | kLow7);
}

// The whole character `text` ends with (a lead byte and as many trail
// bytes as it announces), or empty if it does not end with one.
std::string_view LastChar(std::string_view text) {
  size_t start = text.size() - 1;
  while (start > 0 && text.size() - start < 4 && utf8::IsTrailByte(text[start])) --start;
  const std::string_view c = text.substr(start);
  if (utf8::IsTrailByte(c[0]) || utf8::OneCharLen(c[0]) != c.size()) return {};
  return c;
}

}  // namespace

bool WordSplitter::SafeBeforeChar(std::string_view before) const {
  const std::string_view c = LastChar(before);
  return !c.empty() && !std::binary_search(unsafe_chars_before_.begin(),
                                           unsafe_chars_before_.end(), utf8::PackChar(c));
}

void WordSplitter::Add(std::string_view p) {
  const std::string_view ws = utf8::kSpaceSymbol;
  // Every case starts at a 0xE2 byte (the first of `▁`). This runs over the
  // whole vocabulary at every model load, so the 0xE2 bytes are found eight
  // at a time (most bytes are not one); a piece of fewer than 8 bytes is
  // read as two overlapping 4-byte halves, or byte by byte below 4.
  auto visit = [&](size_t i) {
    const std::string_view rest = p.substr(i);
    const bool full = rest.substr(0, 3) == ws;
    // b followed by `▁`, or by a prefix of it that ends the piece.
    if (i > 0 && (full || (rest.size() < 3 && ws.substr(0, rest.size()) == rest))) {
      const auto b = static_cast<unsigned char>(p[i - 1]);
      unsafe_before_[b] = true;
      const std::string_view c = LastChar(p.substr(0, i));
      if (c.empty()) {
        byte_unsafe_before_[b] = true;
      } else {
        const uint64_t packed = utf8::PackChar(c);
        auto it = std::lower_bound(unsafe_chars_before_.begin(), unsafe_chars_before_.end(), packed);
        if (it == unsafe_chars_before_.end() || *it != packed) {
          unsafe_chars_before_.insert(it, packed);
        }
      }
    }
    if (full && rest.size() > 3) unsafe_after_[static_cast<unsigned char>(p[i + 3])] = true;
  };
  // Visits the 0xE2 bytes flagged in `bits` for the 8 bytes at p[at].
  auto visit_bits = [&](size_t at, uint64_t bits) {
    for (; bits != 0; bits &= bits - 1) visit(at + __builtin_ctzll(bits) / 8);
  };
  const size_t n = p.size();
  if (n >= 8) {
    size_t i = 0;
    uint64_t w;
    for (; i + 8 <= n; i += 8) {
      std::memcpy(&w, p.data() + i, 8);
      visit_bits(i, LeadBytes(w));
    }
    if (i < n) {  // The last 8 bytes, minus those already seen.
      std::memcpy(&w, p.data() + n - 8, 8);
      visit_bits(n - 8, LeadBytes(w) & (~uint64_t{0} << (8 * (8 - (n - i)))));
    }
  } else if (n >= 4) {
    uint32_t a, b;
    std::memcpy(&a, p.data(), 4);
    std::memcpy(&b, p.data() + n - 4, 4);
    // Bytes 0..3 from `a`, bytes 4..n-1 from the top of `b`.
    const uint64_t w = a | (uint64_t{b} << 32);
    const uint64_t seen_twice = n > 4 ? ~uint64_t{0} << (8 * (12 - n)) : 0;
    const uint64_t bits = LeadBytes(w) & (0xFFFFFFFFull | seen_twice);
    for (uint64_t m = bits; m != 0; m &= m - 1) {
      const size_t byte = __builtin_ctzll(m) / 8;
      visit(byte < 4 ? byte : n - 8 + byte);
    }
  } else {
    for (size_t i = 0; i < n; ++i) {
      if (p[i] == '\xE2') visit(i);
    }
  }
}

}  // namespace sentencepiece
