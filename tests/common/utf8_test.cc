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

}  // namespace
}  // namespace sentencepiece
