// Bundled sample words and models, for encoder tests.

#ifndef SPM_TESTS_ENCODER_SAMPLE_WORDS_H_
#define SPM_TESTS_ENCODER_SAMPLE_WORDS_H_

#include <memory>
#include <string>
#include <vector>

#include "common/file_io.h"
#include "common/model_io.h"
#include "encoder/model.h"
#include "gtest/gtest.h"

namespace sentencepiece {

inline std::string TestdataPath(const std::string& rel) {
  return std::string(SPM_TESTDATA_DIR) + "/" + rel;
}

// A bundled model by name (null model, with a test failure, if it does not
// load). The model reads its pieces from the proto: keep both.
struct LoadedModel {
  std::unique_ptr<ModelProto> proto;
  std::unique_ptr<Model> model;
};
inline LoadedModel LoadModel(const std::string& name) {
  LoadedModel loaded;
  auto proto = ReadModelProto(TestdataPath("models/" + name + ".model"));
  EXPECT_TRUE(proto.ok()) << proto.status();
  if (!proto.ok()) return loaded;
  loaded.proto = *std::move(proto);
  auto model = CreateModel(*loaded.proto);
  EXPECT_TRUE(model.ok()) << model.status();
  if (model.ok()) loaded.model = *std::move(model);
  return loaded;
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
