// Words of the bundled sample texts, for encoder tests.

#ifndef SPM_TESTS_ENCODER_SAMPLE_WORDS_H_
#define SPM_TESTS_ENCODER_SAMPLE_WORDS_H_

#include <string>
#include <vector>

#include "common/file_io.h"
#include "gtest/gtest.h"

namespace sentencepiece {

inline std::string TestdataPath(const std::string& rel) {
  return std::string(SPM_TESTDATA_DIR) + "/" + rel;
}

// Up to `per_file` words of each of seven sample texts (Latin, Cyrillic,
// Japanese, Chinese, Thai, Korean, many scripts), `▁`-prefixed as the
// encoder sees them.
inline std::vector<std::string> SampleWords(size_t per_file) {
  std::vector<std::string> words;
  for (const char* file : {"en_botchan", "ru_fortunes", "ja_wagahai", "zh_hans_emacs_tutorial",
                           "th_emacs_tutorial", "ko_emacs_tutorial", "multi_emacs_hello"}) {
    auto text = ReadFile(TestdataPath("text/sample/") + file + ".txt");
    EXPECT_TRUE(text.ok()) << text.status();
    if (!text.ok()) continue;
    size_t taken = 0;
    for (size_t pos = 0; pos < text->size() && taken < per_file;) {
      size_t end = text->find_first_of(" \n", pos);
      if (end == std::string::npos) end = text->size();
      if (end > pos) {
        words.push_back("\xE2\x96\x81" + text->substr(pos, end - pos));
        ++taken;
      }
      pos = end + 1;
    }
  }
  return words;
}

}  // namespace sentencepiece

#endif  // SPM_TESTS_ENCODER_SAMPLE_WORDS_H_
