#include "common/utf8.h"

#include <string>

#include "gtest/gtest.h"

namespace sentencepiece {
namespace {

struct Case {
  std::string bytes;
  char32_t expected;
  size_t len;
};

TEST(Utf8Test, DecodesWellFormedCharacters) {
  const Case cases[] = {
      {"a", 'a', 1},
      {"\xC2\xA0", 0xA0, 2},
      {"\xE2\x96\x81", 0x2581, 3},
      {"\xEF\xBF\xBD", 0xFFFD, 3},
      {"\xF0\x9F\x98\x80", 0x1F600, 4},
      {"\xF4\x8F\xBF\xBF", 0x10FFFF, 4},
      {std::string(1, '\0'), 0, 1},
  };
  for (const Case& c : cases) {
    size_t len = 0;
    EXPECT_EQ(utf8::Decode(c.bytes, &len), c.expected) << c.bytes;
    EXPECT_EQ(len, c.len);
    EXPECT_TRUE(utf8::DecodeValid(c.bytes, &len));
  }
}

TEST(Utf8Test, MalformedInputConsumesOneByte) {
  const std::string cases[] = {
      "\x80",              // stray trail byte
      "\xC2",              // truncated
      "\xC0\xAF",          // overlong
      "\xE0\x80\xAF",      // overlong
      "\xED\xA0\x80",      // surrogate
      "\xF4\x90\x80\x80",  // > U+10FFFF
      "\xF8\x88\x80\x80",  // 5-byte lead
      "\xFF",
      "\xE2\x96",  // truncated 3-byte
  };
  for (const std::string& c : cases) {
    size_t len = 0;
    EXPECT_EQ(utf8::Decode(c, &len), utf8::kReplacementChar);
    EXPECT_EQ(len, 1u);
    EXPECT_FALSE(utf8::DecodeValid(c, &len));
  }
}

TEST(Utf8Test, OneCharLenJudgesByLeadByte) {
  EXPECT_EQ(utf8::OneCharLen('a'), 1u);
  EXPECT_EQ(utf8::OneCharLen('\x80'), 1u);
  EXPECT_EQ(utf8::OneCharLen('\xC3'), 2u);
  EXPECT_EQ(utf8::OneCharLen('\xE3'), 3u);
  EXPECT_EQ(utf8::OneCharLen('\xF0'), 4u);
  EXPECT_EQ(utf8::OneCharLen('\xFF'), 4u);
}

TEST(Utf8Test, AppendRoundTrips) {
  for (char32_t c : {0x41u, 0xE9u, 0x2581u, 0x1F600u}) {
    std::string s;
    utf8::Append(c, &s);
    size_t len = 0;
    EXPECT_EQ(utf8::Decode(s, &len), c);
    EXPECT_EQ(len, s.size());
  }
  std::string s;
  utf8::Append(0xD800, &s);  // A surrogate is not encodable.
  EXPECT_EQ(s, utf8::kReplacementCharUtf8);
  EXPECT_TRUE(utf8::IsStructurallyValid("h\xC3\xA9llo"));
  EXPECT_FALSE(utf8::IsStructurallyValid("h\xC3llo"));
}

// Every three-byte string: ThreeByteIndex() is the byte-by-byte reading
// (a pattern of 1110xxxx 10xxxxxx 10xxxxxx, its 16 payload bits), and
// StartsWithWholeThreeByteChar() agrees with Decode().
TEST(Utf8Test, ThreeByteIndexMatchesTheBytePattern) {
  size_t indexed = 0;
  for (uint32_t v = 0; v < (1u << 24); ++v) {
    const unsigned char b[3] = {static_cast<unsigned char>(v >> 16),
                                static_cast<unsigned char>(v >> 8), static_cast<unsigned char>(v)};
    const bool pattern = (b[0] & 0xF0) == 0xE0 && (b[1] & 0xC0) == 0x80 && (b[2] & 0xC0) == 0x80;
    const int want = pattern ? ((b[0] & 0xF) << 12) | ((b[1] & 0x3F) << 6) | (b[2] & 0x3F) : -1;
    const std::string_view s(reinterpret_cast<const char*>(b), 3);
    ASSERT_EQ(utf8::ThreeByteIndex(s), want) << v;
    ASSERT_EQ(utf8::ThreeByteIndexAt(b), want) << v;
    const unsigned char b4[4] = {b[0], b[1], b[2], 0x80};
    uint32_t w = 0;
    ASSERT_EQ(utf8::ThreeByteWordAt4(b4, &w), pattern) << v;
    if (pattern) {
      ASSERT_EQ(utf8::ThreeByteRow(w), static_cast<uint32_t>(want) >> 6) << v;
      ASSERT_EQ(utf8::ThreeByteBit(w), static_cast<uint32_t>(want) & 63) << v;
    }
    if (pattern) {
      ++indexed;
      size_t len = 0;
      const char32_t c = utf8::Decode(s, &len);
      ASSERT_EQ(utf8::StartsWithWholeThreeByteChar(s), len == 3 && c == static_cast<char32_t>(want))
          << v;
    }
  }
  EXPECT_EQ(indexed, size_t{16} * 64 * 64);
  EXPECT_EQ(utf8::ThreeByteIndex("\xE4\xB8"), -1);  // Cut off.
}

// Every two-byte string: TwoByteIndex() is the pattern 110xxxxx 10xxxxxx
// and its 11 payload bits, and for a well-formed character its code point.
TEST(Utf8Test, TwoByteIndexMatchesTheBytePattern) {
  size_t indexed = 0;
  for (uint32_t v = 0; v < (1u << 16); ++v) {
    const char b[2] = {static_cast<char>(v >> 8), static_cast<char>(v)};
    const std::string_view s(b, 2);
    const bool pattern = ((v >> 8) & 0xE0) == 0xC0 && (v & 0xC0) == 0x80;
    const int want = pattern ? static_cast<int>((((v >> 8) & 0x1F) << 6) | (v & 0x3F)) : -1;
    ASSERT_EQ(utf8::TwoByteIndex(s), want) << v;
    if (pattern) {
      ++indexed;
      size_t len = 0;
      const char32_t c = utf8::Decode(s, &len);
      if (len == 2) {
        ASSERT_EQ(c, static_cast<char32_t>(want)) << v;
      }
    }
  }
  EXPECT_EQ(indexed, size_t{32} * 64);
  EXPECT_EQ(utf8::TwoByteIndex("\xD0"), -1);  // Cut off.
}

}  // namespace
}  // namespace sentencepiece
